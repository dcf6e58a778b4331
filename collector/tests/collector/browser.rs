//! A client for the HTML inbox that keeps its cookies, as a browser would, and reads the CSRF
//! token of the pages it gets.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;

use crate::support::{send, Reply, TOKEN};

/// A client that keeps the cookies the inbox sets, as a browser would.
pub struct Browser<'a> {
    router: &'a Router,
    cookies: Vec<(String, String)>,
}

impl<'a> Browser<'a> {
    pub fn new(router: &'a Router) -> Self {
        Self {
            router,
            cookies: Vec::new(),
        }
    }

    /// The `Cookie` header this browser sends.
    pub fn cookie_header(&self) -> String {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        cookie.join("; ")
    }

    pub async fn request(&mut self, method: Method, path: &str, form: Option<&str>) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::COOKIE, self.cookie_header());
        if form.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        let body = form.map_or_else(Body::empty, |form| Body::from(form.to_owned()));
        let reply = send(self.router, request.body(body).expect("request")).await;
        for set in reply.headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().expect("cookie text");
            let (pair, _) = set.split_once(';').expect("attributes");
            let (name, value) = pair.split_once('=').expect("name=value");
            self.cookies.retain(|(known, _)| known != name);
            if !set.contains("Max-Age=0") {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        reply
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.request(Method::GET, path, None).await
    }

    pub async fn post(&mut self, path: &str, form: &str) -> Reply {
        self.request(Method::POST, path, Some(form)).await
    }

    pub async fn sign_in(&mut self) {
        let login = self.get("/inbox/login").await;
        let csrf = csrf(&login);
        let reply = self
            .post("/inbox/login", &format!("token={TOKEN}&csrf={csrf}"))
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
    }
}

pub fn text(reply: &Reply) -> String {
    String::from_utf8(reply.body.clone()).expect("UTF-8")
}

/// The CSRF token in the page's first form.
pub fn csrf(reply: &Reply) -> String {
    let page = text(reply);
    let start = page.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    page[start..].split('"').next().expect("value").to_owned()
}
