#!/usr/bin/env bash
# Capture step of `scripts/ghost-capture`: fetches every page of the site that build-site.mjs
# built, with Source and then Casper active, plus Content API answers, the Admin API export and
# the uploaded images. Plain curl with no extra headers for what the site serves; session auth
# (cookie) only to switch themes and to export.
# Env (all required): GHOST_URL, GHOST_CONTENT (Ghost's content folder), OUT (the capture folder,
# holding keys.json and build-manifest.json from build-site.mjs).
set -euo pipefail
G=${GHOST_URL:?set GHOST_URL}
CONTENT=${GHOST_CONTENT:?set GHOST_CONTENT}
OUT=${OUT:?set OUT}
MAN=$OUT/build-manifest.json
KEY=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).content)' "$OUT/keys.json")
JAR=$(mktemp)
trap 'rm -f "$JAR"' EXIT
ORIGIN="Origin: $G"

login() {
  curl -sf -c "$JAR" -b "$JAR" -H "$ORIGIN" -H 'Content-Type: application/json' \
    -d '{"username":"editor@example.com","password":"EditorialDesk!2025pw"}' "$G/ghost/api/admin/session/" >/dev/null
}
activate() {
  curl -sf -b "$JAR" -H "$ORIGIN" -X PUT "$G/ghost/api/admin/themes/$1/activate/" -o /dev/null
  echo "theme $1 active"
  sleep 2
}

# fetch DIR FILE PATH TSV
fetch() {
  local dir=$1 file=$2 p=$3 tsv=$4
  mkdir -p "$dir/headers"
  curl -s -D "$dir/headers/$file.headers.txt" -o "$dir/$file" "$G$p"
  # strip the CR of header lines for readability, like set A
  sed -i 's/\r$//' "$dir/headers/$file.headers.txt"
  local h=$dir/headers/$file.headers.txt status ctype cc
  status=$(awk 'NR == 1 {print $2}' "$h")
  ctype=$(awk 'tolower($0) ~ /^content-type:/ {sub(/^[^:]*: /, ""); print; exit}' "$h")
  cc=$(awk 'tolower($0) ~ /^cache-control:/ {sub(/^[^:]*: /, ""); print; exit}' "$h")
  printf '%s\t%s\t%s\t%s\t%s\n' "$file" "$status" "$ctype" "$cc" "$p" >> "$tsv"
}

# archive DIR KIND SLUG TSV: a tag's or author's pages up to the first 404, and its feed
archive() {
  local dir=$1 kind=$2 slug=$3 tsv=$4 n=2
  fetch "$dir" "$kind-$slug.html" "/$kind/$slug/" "$tsv"
  while [ "$(tail -1 "$tsv" | cut -f2)" = 200 ]; do
    fetch "$dir" "$kind-$slug-page-$n.html" "/$kind/$slug/page/$n/" "$tsv"
    n=$((n+1))
  done
  fetch "$dir" "$kind-$slug-rss.xml" "/$kind/$slug/rss/" "$tsv"
}

# pages with Source or Casper
capture_theme() {
  local theme=$1 dir=$OUT/html/$1
  rm -rf "$dir"; mkdir -p "$dir/headers"
  local tsv=$dir/pages.tsv
  printf 'file\tstatus\tcontent_type\tcache_control\tpath\n' > "$tsv"
  fetch "$dir" home.html / "$tsv"
  local n=2
  while :; do
    fetch "$dir" "home-page-$n.html" "/page/$n/" "$tsv"
    [ "$(tail -1 "$tsv" | cut -f2)" = 200 ] || break
    n=$((n+1))
  done
  # every published post (includes members/paid posts, seen as an anonymous visitor)
  node -e '
    for (const p of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).posts) {
      console.log(p.status, p.slug);
    }
  ' "$MAN" | while read -r st slug; do
    if [ "$st" = published ]; then fetch "$dir" "post-$slug.html" "/$slug/" "$tsv"; fi
  done
  # scheduled and draft posts: not public (expect 404)
  fetch "$dir" post-preview-the-2027-budget-debate.html /preview-the-2027-budget-debate/ "$tsv"
  fetch "$dir" post-notes-on-the-water-sharing-talks.html /notes-on-the-water-sharing-talks/ "$tsv"
  # tags (public ones + the internal one, which Ghost does not route)
  for t in news politics economy culture sports world energy opinion hash-internal; do
    archive "$dir" tag "$t" "$tsv"
  done
  for a in editorial-desk layla-hassan omar-khalid sara-ahmed dara-aziz; do
    archive "$dir" author "$a" "$tsv"
  done
  for pg in about contact editorial-standards; do
    fetch "$dir" "page-$pg.html" "/$pg/" "$tsv"
  done
  fetch "$dir" rss.xml /rss/ "$tsv"
  fetch "$dir" rss-page-2.xml /rss/2/ "$tsv"
  fetch "$dir" 404.html /no-such-page/ "$tsv"
  for s in sitemap sitemap-posts sitemap-pages sitemap-tags sitemap-authors; do
    fetch "$dir" "$s.xml" "/$s.xml" "$tsv"
  done
  echo "$theme: $(($(wc -l < "$tsv") - 1)) responses"
}

# pretty-print a JSON file in place (2-space indent, key order kept, UTF-8 unescaped)
pretty() {
  node -e '
    const fs = require("fs");
    const f = process.argv[1];
    fs.writeFileSync(f, JSON.stringify(JSON.parse(fs.readFileSync(f, "utf8")), null, 2) + "\n");
  ' "$1"
}

capture_content_api() {
  local dir=$OUT/content-api tsv=$OUT/content-api/queries.tsv
  rm -rf "$dir"; mkdir -p "$dir/headers"
  printf 'file\tstatus\tcontent_type\tcache_control\tpath\n' > "$tsv"
  local q=/ghost/api/content
  fetch "$dir" posts.browse.include-tags-authors.limit-all.json "$q/posts/?key=$KEY&include=tags,authors&limit=all" "$tsv"
  fetch "$dir" posts.browse.json "$q/posts/?key=$KEY" "$tsv"
  fetch "$dir" posts.browse.page-4.json "$q/posts/?key=$KEY&page=4" "$tsv"
  fetch "$dir" posts.browse.filter-featured.include-tags-authors.json "$q/posts/?key=$KEY&filter=featured:true&include=tags,authors" "$tsv"
  fetch "$dir" posts.browse.filter-tag-news.limit-all.json "$q/posts/?key=$KEY&filter=tag:news&limit=all" "$tsv"
  fetch "$dir" posts.browse.filter-author-omar-khalid.limit-all.json "$q/posts/?key=$KEY&filter=author:omar-khalid&limit=all" "$tsv"
  fetch "$dir" posts.read.slug-members-briefing-inside-the-budget-negotiations.json "$q/posts/slug/members-briefing-inside-the-budget-negotiations/?key=$KEY" "$tsv"
  fetch "$dir" posts.read.slug-mhrjn-lktb-fy-rbyl-ystqbl-alf-lzwr.include-tags-authors.json "$q/posts/slug/mhrjn-lktb-fy-rbyl-ystqbl-alf-lzwr/?key=$KEY&include=tags,authors" "$tsv"
  fetch "$dir" tags.browse.limit-all.json "$q/tags/?key=$KEY&limit=all" "$tsv"
  fetch "$dir" tags.browse.limit-all.include-count-posts.json "$q/tags/?key=$KEY&limit=all&include=count.posts" "$tsv"
  fetch "$dir" authors.browse.limit-all.json "$q/authors/?key=$KEY&limit=all" "$tsv"
  fetch "$dir" authors.browse.limit-all.include-count-posts.json "$q/authors/?key=$KEY&limit=all&include=count.posts" "$tsv"
  fetch "$dir" pages.browse.limit-all.json "$q/pages/?key=$KEY&limit=all" "$tsv"
  fetch "$dir" pages.browse.include-tags-authors.limit-all.json "$q/pages/?key=$KEY&include=tags,authors&limit=all" "$tsv"
  fetch "$dir" settings.browse.json "$q/settings/?key=$KEY" "$tsv"
  for f in "$dir"/*.json; do pretty "$f"; done
  echo "content-api: $(($(wc -l < "$tsv") - 1)) responses"
}

login
activate source
capture_content_api
capture_theme source
activate casper
capture_theme casper
activate source
# export, session auth, body exactly as sent
curl -sf -b "$JAR" -H "$ORIGIN" -D "$OUT/ghost-export.headers.txt" -o "$OUT/ghost-export.json" "$G/ghost/api/admin/db/"
sed -i 's/\r$//' "$OUT/ghost-export.headers.txt"
echo "export: $(head -1 "$OUT/ghost-export.headers.txt")"
rm -rf "$OUT/images"
cp -r "$CONTENT/images" "$OUT/images"
rm -f "$OUT/images/README.md"
echo "images: $(find "$OUT/images" -type f | wc -l) files"
