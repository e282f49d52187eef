-- Uploaded images as they arrived, so every node sharing the database can serve an image
-- another node took in; `<data>/content/images/` stays each node's cache, and resized and
-- WebP variants are made there from the original.
CREATE TABLE image_originals (
    -- Below `/content/images/` (`2026/11/photo.jpg`), as the image's URL names it.
    path TEXT PRIMARY KEY NOT NULL,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at TEXT NOT NULL
);
