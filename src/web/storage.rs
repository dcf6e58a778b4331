//! Where the widget keeps state between page loads: `localStorage`, under keys starting with `rebound:`, or memory
//! for this page only when the visitor has not consented to storage, or storage is missing or throws (private
//! modes, WebViews, cookies disabled). A storage failure is reported once on the console and never thrown.

use crate::prelude::*;

use core::cell::{Cell, RefCell};

/// The widget's storage.
pub struct Storage {
    local: RefCell<Option<web_sys::Storage>>,
    memory: RefCell<Vec<(String, String)>>,
    warned: Cell<bool>,
}

impl Storage {
    /// Storage that writes to `localStorage` only when `persist` is true.
    pub fn new(window: &web_sys::Window, persist: bool) -> Storage {
        let storage = Storage {
            local: RefCell::new(None),
            memory: RefCell::default(),
            warned: Cell::new(false),
        };
        if persist {
            storage.persist(window);
        }
        storage
    }

    /// Starts writing to `localStorage` (the visitor consented), moving over what memory held.
    pub fn persist(&self, window: &web_sys::Window) {
        match window.local_storage() {
            Ok(Some(local)) => {
                *self.local.borrow_mut() = Some(local);
                for (key, value) in self.memory.take() {
                    self.set(&key, &value);
                }
            }
            _ => self.fail(),
        }
    }

    /// Whether it writes to `localStorage`: the visitor consented, and storage works.
    pub fn persists(&self) -> bool {
        self.local.borrow().is_some()
    }

    /// The value stored under `key`.
    pub fn get(&self, key: &str) -> Option<String> {
        let local = self.local.borrow().clone();
        match local {
            Some(local) => match local.get_item(key) {
                Ok(value) => value,
                Err(_) => {
                    self.fail();
                    self.get(key)
                }
            },
            None => self
                .memory
                .borrow()
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone()),
        }
    }

    /// Stores `value` under `key`; on failure it is kept in memory for this page.
    pub fn set(&self, key: &str, value: &str) {
        let local = self.local.borrow().clone();
        if let Some(local) = local {
            if local.set_item(key, value).is_ok() {
                return;
            }
            self.fail();
        }
        let mut memory = self.memory.borrow_mut();
        memory.retain(|(k, _)| k != key);
        memory.push((key.into(), value.into()));
    }

    /// Every key that starts with `prefix`.
    pub fn keys(&self, prefix: &str) -> Vec<String> {
        let local = self.local.borrow().clone();
        let mut keys = Vec::new();
        match local {
            Some(local) => {
                for i in 0..local.length().unwrap_or(0) {
                    if let Ok(Some(key)) = local.key(i) {
                        keys.push(key);
                    }
                }
            }
            None => keys.extend(self.memory.borrow().iter().map(|(k, _)| k.clone())),
        }
        keys.retain(|k| k.starts_with(prefix));
        keys
    }

    /// Removes `key`.
    pub fn remove(&self, key: &str) {
        if let Some(local) = self.local.borrow().as_ref() {
            let _ = local.remove_item(key);
        }
        self.memory.borrow_mut().retain(|(k, _)| k != key);
    }

    /// Falls back to memory and says so once.
    fn fail(&self) {
        *self.local.borrow_mut() = None;
        if !self.warned.replace(true) {
            web_sys::console::warn_1(
                &"rebound: localStorage is not available; answers waiting to be sent are kept for this page only"
                    .into(),
            );
        }
    }
}
