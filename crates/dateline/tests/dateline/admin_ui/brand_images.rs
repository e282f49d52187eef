//! Site settings' brand images: the logo, icon and cover image are uploaded (checked as every
//! image upload is), shown with a remove button, and followed by the public site's `@site`,
//! `{{ghost_head}}`'s icon link and `/favicon.ico`, on every node sharing the database.

use dateline_testkit::{TestDb, backend_tests};
use reqwest::Response;
use reqwest::multipart::{Form, Part};

use super::tags::{post_form, text};
use super::{Admin, Browser, OWNER_EMAIL, PASSWORD, location};

backend_tests!(
    brand_images_reach_the_site_and_the_favicon,
    a_brand_logo_is_served_by_every_node
);

/// A small PNG of one colour.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 40]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

async fn upload(
    admin: &Admin,
    browser: &Browser,
    key: &str,
    csrf: &str,
    bytes: Vec<u8>,
) -> Response {
    let part = Part::bytes(bytes).file_name("Brand Mark.png");
    let form = Form::new().text("csrf", csrf.to_owned()).part("file", part);
    admin
        .post_multipart(&format!("/admin/settings/images/{key}/"), browser, form)
        .await
}

async fn brand_images_reach_the_site_and_the_favicon(db: TestDb) {
    let admin = Admin::new(&db).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;

    // No icon yet: the browser's request is answered with nothing, without an error.
    let res = admin.get("/favicon.ico", None).await;
    assert_eq!(res.status(), 204);
    let page = text(admin.get("/admin/settings/", Some(&owner.cookie)).await).await;
    assert!(page.contains("Upload a logo"), "{page}");
    assert!(page.contains("Upload a cover image"), "{page}");

    // Without the token, or with a file that is not an image, nothing is kept.
    let res = upload(&admin, &owner, "logo", "", png(120, 40)).await;
    assert_eq!(res.status(), 403);
    let res = upload(
        &admin,
        &owner,
        "logo",
        &owner.csrf,
        b"<svg onload=x>".to_vec(),
    )
    .await;
    assert_eq!(res.status(), 422);
    let page = text(res).await;
    assert!(page.contains("The image was not saved"), "{page}");
    let res = upload(&admin, &owner, "nonsense", &owner.csrf, png(8, 8)).await;
    assert_eq!(res.status(), 404);

    // The logo: a thumbnail with a remove button, and the site's header shows it.
    let res = upload(&admin, &owner, "logo", &owner.csrf, png(120, 40)).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/settings/?saved=1");
    let page = text(admin.get("/admin/settings/", Some(&owner.cookie)).await).await;
    let month = jiff::Timestamp::now().strftime("%Y/%m").to_string();
    let logo = format!("/content/images/{month}/brand-mark.png");
    assert!(
        page.contains(&format!(r#"<img src="{logo}" alt="The current logo">"#)),
        "{page}"
    );
    assert!(
        page.contains("/admin/settings/images/logo/remove/"),
        "{page}"
    );
    let home = admin.get("/", None).await.text().await.unwrap();
    assert!(
        home.contains(&format!(r#"class="site-brand__logo" src="{logo}""#)),
        "{home}"
    );
    assert_eq!(admin.get(&logo, None).await.status(), 200);

    // The icon: linked from every page's head and where `/favicon.ico` leads.
    let res = upload(&admin, &owner, "icon", &owner.csrf, png(64, 64)).await;
    assert_eq!(res.status(), 303);
    let icon = format!("/content/images/{month}/brand-mark-1.png");
    let res = admin.get("/favicon.ico", None).await;
    assert_eq!(res.status(), 302);
    assert_eq!(location(&res), icon);
    assert!(
        res.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    let home = admin.get("/", None).await.text().await.unwrap();
    assert!(
        home.contains(&format!(
            r#"<link rel="icon" href="{}{icon}""#,
            admin.server.url
        )),
        "{home}"
    );

    // The cover image is a setting of its own, even on a site made without its row.
    let res = upload(&admin, &owner, "cover_image", &owner.csrf, png(300, 100)).await;
    assert_eq!(res.status(), 303);
    let settings = admin.app.settings().await.unwrap();
    assert_eq!(
        settings.get("cover_image"),
        Some(format!("__GHOST_URL__/content/images/{month}/brand-mark-2.png").as_str())
    );

    // Removing needs the token too; then the icon is gone from the head and the favicon.
    let res = post_form(&admin, &owner, "/admin/settings/images/icon/remove/", &[]).await;
    assert_eq!(res.status(), 403);
    let fields = [("csrf", owner.csrf.as_str())];
    let res = post_form(
        &admin,
        &owner,
        "/admin/settings/images/icon/remove/",
        &fields,
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(admin.get("/favicon.ico", None).await.status(), 204);
    let home = admin.get("/", None).await.text().await.unwrap();
    assert!(!home.contains(r#"<link rel="icon""#), "{home}");
    let page = text(admin.get("/admin/settings/", Some(&owner.cookie)).await).await;
    assert!(page.contains("Upload an icon"), "{page}");
}

async fn a_brand_logo_is_served_by_every_node(db: TestDb) {
    let first = Admin::new(&db).await;
    let second = Admin::empty(&db).await;
    let owner = first.sign_in(OWNER_EMAIL, PASSWORD).await;
    let logo_png = png(320, 80);
    let res = upload(&first, &owner, "logo", &owner.csrf, logo_png.clone()).await;
    assert_eq!(res.status(), 303);
    let month = jiff::Timestamp::now().strftime("%Y/%m").to_string();
    let logo = format!("/content/images/{month}/brand-mark.png");

    // The second node's pages show the logo, and it serves the file it never received.
    let home = second.get("/", None).await.text().await.unwrap();
    assert!(
        home.contains(&format!(r#"class="site-brand__logo" src="{logo}""#)),
        "{home}"
    );
    let res = second.get(&logo, None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), logo_png.as_slice());
    let res = second
        .get(
            &format!("/content/images/size/w160/{month}/brand-mark.png"),
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    let small = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!((small.width(), small.height()), (160, 40));
}
