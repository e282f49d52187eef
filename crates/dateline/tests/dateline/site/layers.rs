use dateline_testkit::{TestDb, TestServer, backend_tests};

backend_tests!(
    responses_are_compressed_and_carry_a_request_id,
    oversized_bodies_are_refused
);

async fn responses_are_compressed_and_carry_a_request_id(db: TestDb) {
    let server = TestServer::start(db.app().await).await;
    let res = server
        .client
        .get(format!("{}/", server.url))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");

    // A request id sent by a proxy is kept, so logs line up across hops.
    let res = server
        .client
        .get(format!("{}/healthz", server.url))
        .header("x-request-id", "edge-42")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "edge-42");
}

async fn oversized_bodies_are_refused(db: TestDb) {
    let server = TestServer::start(db.app().await).await;
    let body = vec![b'x'; dateline_http::router::BODY_LIMIT + 1];
    let res = server
        .client
        .post(format!("{}/", server.url))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
}
