-- Ghost's themes ask for featured stories on most front pages, and the Content API counts them
-- (`filter=featured:true`): with `featured` in an index beside the listing's columns, both read
-- the index instead of every published post. (SQLite's twin also moves the bodies to the end
-- of its rows; PostgreSQL keeps long values out of the row already.)
CREATE INDEX posts_featured ON posts (type, status, featured, published_at DESC, id);
