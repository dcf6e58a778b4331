//! A body declared larger than the cap, on a real socket: the collector answers 413 from the
//! `Content-Length` alone, without waiting for the body, and closes the connection cleanly even
//! while the client is still uploading, so the client reads the 413 and not a reset.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::process::Collector;
use crate::support::TempDir;

fn headers(collector: &Collector, length: usize) -> String {
    format!(
        "POST /v1/responses HTTP/1.1\r\nHost: {}\r\nContent-Type: text/plain;charset=UTF-8\r\n\
         Content-Length: {length}\r\n\r\n",
        collector.addr()
    )
}

/// Everything the collector sends until it closes, or the error that ended the read.
fn read_until_closed(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply)?;
    Ok(String::from_utf8_lossy(&reply).into_owned())
}

#[test]
fn an_over_cap_content_length_is_refused_before_the_body_comes() {
    let dir = TempDir::new();
    let collector = Collector::start(&dir.path().join("rebound.db").display().to_string());
    let mut stream = TcpStream::connect(collector.addr()).expect("connect");
    // Nothing of the body is sent: a collector that waited for it would never answer.
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream
        .write_all(headers(&collector, 10_000_000).as_bytes())
        .expect("send");
    let mut start = [0; 12];
    stream
        .read_exact(&mut start)
        .expect("an answer before the body");
    assert_eq!(&start, b"HTTP/1.1 413");
}

#[test]
fn a_client_still_uploading_reads_the_413_and_a_clean_close() {
    let dir = TempDir::new();
    let collector = Collector::start(&dir.path().join("rebound.db").display().to_string());
    // Somewhat over the cap, as a large form would be.
    let length = 100 * 1024;
    let mut stream = TcpStream::connect(collector.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut upload = stream.try_clone().expect("clone");
    let head = headers(&collector, length);
    let uploader = std::thread::spawn(move || {
        upload.write_all(head.as_bytes())?;
        upload.write_all(&vec![b' '; length])
    });
    let reply = read_until_closed(&mut stream)
        .expect("the 413, then a clean close: no reset, no connection left open");
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    assert!(reply.contains("payload_too_large"), "{reply}");
    uploader
        .join()
        .expect("uploader")
        .expect("the whole body could be sent");
}
