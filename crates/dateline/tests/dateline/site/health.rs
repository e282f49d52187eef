use dateline_testkit::{TestDb, TestServer, backend_tests};

backend_tests!(healthz_answers_when_the_database_does);

async fn healthz_answers_when_the_database_does(db: TestDb) {
    let server = TestServer::start(db.app().await).await;
    let res = server.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok\n");
}
