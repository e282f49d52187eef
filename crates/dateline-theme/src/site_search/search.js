// Dateline's search box for Ghost themes, served from the site itself: a button carrying
// `data-ghost-search` opens it, and it looks stories up in the site's Content API with the
// frontend key its <script> tag carries (`data-api`, `data-key`). The stories are fetched once,
// on first use, and matched in the browser, so typing costs no request. Like Ghost's own search,
// it reads at most the newest 10,000 stories: a larger archive is searched by its recent years.
(function () {
    "use strict";
    var tag = document.currentScript;
    if (!tag) {
        return;
    }
    var API = tag.getAttribute("data-api");
    var KEY = tag.getAttribute("data-key");
    var MAX_RESULTS = 10;
    var stories = null;
    var box = null;

    function load() {
        if (stories) {
            return stories;
        }
        var url = API + "posts/?key=" + encodeURIComponent(KEY) +
            "&limit=10000&fields=title,url,excerpt,published_at&order=published_at%20desc";
        stories = fetch(url, {credentials: "omit"}).then(function (res) {
            if (!res.ok) {
                throw new Error("search is unavailable");
            }
            return res.json();
        }).then(function (body) {
            return body.posts || [];
        });
        stories.catch(function () {
            stories = null;
        });
        return stories;
    }

    function matches(story, words) {
        var text = ((story.title || "") + " " + (story.excerpt || "")).toLowerCase();
        return words.every(function (word) {
            return text.indexOf(word) !== -1;
        });
    }

    function show(list, found) {
        list.textContent = "";
        found.slice(0, MAX_RESULTS).forEach(function (story) {
            var item = document.createElement("li");
            var link = document.createElement("a");
            link.href = story.url;
            link.textContent = story.title;
            link.style.cssText = "display:block;padding:10px 0;color:inherit;font-weight:600;";
            item.appendChild(link);
            list.appendChild(item);
        });
    }

    function search(input, list) {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        if (!words.length) {
            list.textContent = "";
            return;
        }
        load().then(function (all) {
            show(list, all.filter(function (story) {
                return matches(story, words);
            }));
        }, function () {
            list.textContent = "Search is unavailable right now.";
        });
    }

    function close() {
        if (box) {
            box.remove();
            box = null;
        }
    }

    function open() {
        if (box) {
            return;
        }
        box = document.createElement("div");
        box.setAttribute("role", "dialog");
        box.setAttribute("aria-label", "Search");
        box.style.cssText = "position:fixed;inset:0;z-index:3999999;background:rgba(0,0,0,.4);" +
            "display:flex;justify-content:center;align-items:flex-start;padding-top:10vh;";
        var panel = document.createElement("div");
        panel.style.cssText = "width:min(640px,92vw);max-height:70vh;overflow:auto;background:#fff;" +
            "color:#15171a;border-radius:8px;padding:16px 20px;box-shadow:0 10px 40px rgba(0,0,0,.25);";
        var input = document.createElement("input");
        input.type = "search";
        input.placeholder = "Search posts";
        input.setAttribute("aria-label", "Search posts");
        input.style.cssText = "width:100%;font-size:18px;padding:8px 0;border:0;outline:0;" +
            "border-bottom:1px solid #e6e6e6;background:transparent;color:inherit;";
        var list = document.createElement("ul");
        list.style.cssText = "list-style:none;margin:8px 0 0;padding:0;";
        panel.appendChild(input);
        panel.appendChild(list);
        box.appendChild(panel);
        box.addEventListener("click", function (event) {
            if (event.target === box) {
                close();
            }
        });
        input.addEventListener("input", function () {
            search(input, list);
        });
        document.body.appendChild(box);
        input.focus();
        load();
    }

    document.addEventListener("click", function (event) {
        var button = event.target.closest && event.target.closest("[data-ghost-search]");
        if (button) {
            event.preventDefault();
            open();
        }
    });
    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
            close();
        }
    });
}());
