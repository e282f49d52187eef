-- Uploaded themes, as the ZIP archives they arrived in, so every node sharing the database can
-- unpack a theme another node installed; `<data>/themes/` stays each node's working copy.
CREATE TABLE theme_archives (
    name TEXT PRIMARY KEY NOT NULL,
    archive BYTEA NOT NULL,
    -- SHA-256 of the archive, hex: a node whose copy came from another archive unpacks again.
    sha256 TEXT NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL
);

-- The site's values for a theme's custom settings (`config.custom` of its package.json, which
-- themes read as `@custom`), per theme as Ghost keeps them, so switching themes and back keeps
-- what was chosen. A theme's defaults apply to keys without a row.
CREATE TABLE custom_theme_settings (
    theme TEXT NOT NULL,
    key TEXT NOT NULL,
    -- select, boolean, color, image or text, as the theme declared it when saved.
    type TEXT NOT NULL,
    -- Text; a boolean is `true` or `false`, an empty image is NULL.
    value TEXT,
    PRIMARY KEY (theme, key)
);
