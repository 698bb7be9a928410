//! The gateway's IMS change calls: against `hvecs sim` (an image from a stopped server followed
//! through its IMS job to `active`, rename, delete, the private-image quota), and against a
//! local server answering 2xx of the wrong shape (each an error naming the call and why).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use hvecs::config::{Connection, Credentials, ServiceUrls, Transport, UrlTemplate};
use hvecs::gateway::{
    ErrorKind, Gateway, GatewayOptions, ImageFilter, ImageFromServer, RetryPolicy, ServerFilter,
};
use hvecs::sim::{SimHandle, SimOptions};
use support::raw_http::{self, Reply};

fn quick() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 1,
        base_delay: Duration::from_millis(5),
        throttle_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(5),
        max_total: Duration::from_secs(5),
    }
}

fn sim_gateway(h: &SimHandle) -> Gateway {
    let region = h.regions()[0].name.clone();
    let c = Connection {
        profile: "sim".into(),
        urls: ServiceUrls::all(UrlTemplate::parse(&h.base_url()).unwrap()),
        projects: [(region.clone(), h.regions()[0].project_id.clone())]
            .into_iter()
            .collect(),
        region,
        credentials: Credentials::AkSk {
            ak: h.credentials().ak.clone(),
            sk: h.credentials().sk.clone(),
        },
        read_only: false,
        transport: Transport {
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(5),
            ..Transport::default()
        },
    };
    let opts = GatewayOptions {
        retry: quick(),
        ..Default::default()
    };
    Gateway::new(&c, opts).unwrap()
}

#[tokio::test]
async fn an_image_from_a_stopped_server_is_followed_to_active_renamed_and_deleted() {
    let h = hvecs::sim::start(SimOptions {
        servers: 60,
        speed: 200.0,
        ..Default::default()
    })
    .await
    .unwrap();
    let gw = sim_gateway(&h);
    let (used, limit) = gw.private_image_quota().await.unwrap().unwrap();
    assert!(used < limit);
    let servers = gw.list_servers(&ServerFilter::default()).await.unwrap();
    let off = servers
        .iter()
        .find(|s| s.status.to_string() == "SHUTOFF" && s.task_state.is_none())
        .unwrap();
    let spec = ImageFromServer {
        name: "gw-image".into(),
        server_id: off.id.clone(),
        description: Some("from the gateway test".into()),
        tags: vec![("team".into(), "ops".into())],
    };
    let job_id = gw
        .create_image_from_server(&spec)
        .await
        .unwrap()
        .job_id
        .unwrap();
    let mut percents = Vec::new();
    let job = loop {
        let j = gw.show_image_job(&job_id).await.unwrap();
        percents.extend(j.entities.process_percent);
        if !j.status.is_pending() {
            break j;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(job.status.is_success(), "{job:?}");
    assert_eq!(percents.last(), Some(&100));
    let id = job.entities.image_id.clone().unwrap();
    let img = gw.show_image(&id).await.unwrap();
    assert_eq!(
        (img.name.as_str(), img.status.as_str()),
        ("gw-image", "active")
    );
    assert_eq!(img.image_type, "private");
    assert_eq!(
        gw.private_image_quota().await.unwrap(),
        Some((used + 1, limit))
    );

    let renamed = gw.rename_image(&id, "gw-image-2").await.unwrap();
    assert_eq!(renamed.name, "gw-image-2");
    // The server settles after the image's job (as the platform does): a second image of it
    // while it is still busy would be refused for that (IMG.0010), not for its name.
    for _ in 0..500 {
        let s = gw.show_server(&off.id).await.unwrap();
        if s.task_state.is_none() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let e = gw
        .create_image_from_server(&ImageFromServer {
            name: "gw-image-2".into(),
            ..spec.clone()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&e.kind, ErrorKind::Api { status: 400, body } if body.code.as_deref() == Some("IMG.0009")),
        "{e}"
    );
    gw.delete_image(&id).await.unwrap();
    let f = ImageFilter {
        id: Some(id.clone()),
        ..ImageFilter::default()
    };
    assert!(gw.list_images(&f).await.unwrap().is_empty());
    h.shutdown().await.unwrap();
}

#[tokio::test]
async fn ims_change_answers_of_the_wrong_shape_are_errors_naming_the_call() {
    let srv = raw_http::start(|req, _| {
        if req.method == "PATCH" {
            Reply::json(200, r#"{"id":"other","name":"x"}"#)
        } else if req.target.contains("cloudimages/action") {
            Reply::json(200, r#"{"job":"j-1"}"#)
        } else {
            Reply::json(200, r#"{"job_id": 7}"#)
        }
    })
    .await;
    let c = support::signed_connection(&srv.url("http"));
    let gw = Gateway::new(
        &c,
        GatewayOptions {
            retry: quick(),
            ..Default::default()
        },
    )
    .unwrap();
    let spec = ImageFromServer {
        name: "n".into(),
        server_id: "s-1".into(),
        ..ImageFromServer::default()
    };
    let e = gw.create_image_from_server(&spec).await.unwrap_err();
    let text = e.to_string();
    assert!(
        matches!(e.kind, ErrorKind::BadBody { status: 200, .. }),
        "{e:?}"
    );
    assert!(
        text.starts_with("IMS create image \"n\" from server s-1: "),
        "{text}"
    );
    assert!(
        text.contains("no `job_id`") && text.contains("request id req"),
        "{text}"
    );

    let e = gw.rename_image("img-1", "new").await.unwrap_err();
    let text = e.to_string();
    assert!(text.starts_with("IMS rename image img-1: "), "{text}");
    assert!(text.contains("not img-1"), "{text}");
}
