// Dateline's stand-in for Ghost's Portal and members-js, served from the site itself: Ghost
// themes' sign-up forms (`data-members-form`) and Portal links (`#/portal/signup`) work without
// loading anything from a CDN. Sign-ups go to the site's own POST /members/api/subscribe/.
(function () {
    "use strict";
    var ENDPOINT = "/members/api/subscribe/";

    function subscribe(email) {
        var body = new URLSearchParams();
        body.set("email", email);
        // The endpoint answers a plain form post with a redirect back to the page; a redirect
        // (seen as "opaqueredirect") or a 2xx is a sign-up that was accepted.
        return fetch(ENDPOINT, {
            method: "POST",
            body: body,
            credentials: "same-origin",
            redirect: "manual"
        }).then(function (res) {
            if (res.type === "opaqueredirect" || res.ok) {
                return;
            }
            throw new Error(res.status === 429
                ? "Too many attempts, please try again later."
                : "Please enter a valid email address.");
        });
    }

    function wireForm(form) {
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            var input = form.querySelector("[data-members-email]") ||
                form.querySelector("input[type=email]");
            var errorBox = form.querySelector("[data-members-error]");
            form.classList.remove("success", "invalid", "error");
            form.classList.add("loading");
            subscribe(input ? input.value.trim() : "").then(function () {
                form.classList.remove("loading");
                form.classList.add("success");
                if (input) { input.value = ""; }
            }, function (err) {
                form.classList.remove("loading");
                form.classList.add("error");
                if (errorBox) { errorBox.textContent = err.message; }
            });
        });
    }

    var dialog;
    function signupDialog() {
        if (dialog) { return dialog; }
        dialog = document.createElement("dialog");
        dialog.className = "dateline-signup";
        dialog.innerHTML =
            "<form method=\"dialog\" class=\"dateline-signup-close\"><button aria-label=\"Close\">×</button></form>" +
            "<h2></h2>" +
            "<form data-members-form=\"signup\" class=\"dateline-signup-form\">" +
            "<input data-members-email type=\"email\" required autocomplete=\"email\" placeholder=\"you@example.com\" aria-label=\"Email\">" +
            "<button type=\"submit\">Subscribe</button>" +
            "<p class=\"dateline-signup-done\">Check your inbox to confirm your subscription.</p>" +
            "<p data-members-error role=\"alert\"></p></form>";
        dialog.querySelector("h2").textContent = "Subscribe to " + document.title.split(" - ").pop();
        var style = document.createElement("style");
        style.textContent =
            ".dateline-signup{max-width:26rem;width:90%;border:0;border-radius:8px;padding:2rem;font:inherit}" +
            ".dateline-signup::backdrop{background:rgba(0,0,0,.5)}" +
            ".dateline-signup-close{position:absolute;top:.5rem;inset-inline-end:.75rem}" +
            ".dateline-signup-close button{border:0;background:none;font-size:1.5rem;cursor:pointer}" +
            ".dateline-signup-form input{width:100%;padding:.6rem;margin:.5rem 0;box-sizing:border-box}" +
            ".dateline-signup-form button{width:100%;padding:.6rem;cursor:pointer}" +
            ".dateline-signup-done{display:none}.dateline-signup-form.success .dateline-signup-done{display:block}";
        document.head.appendChild(style);
        document.body.appendChild(dialog);
        wireForm(dialog.querySelector("[data-members-form]"));
        return dialog;
    }

    function openPortal(target) {
        // Only sign-up exists for now; every Portal page opens it.
        if (!/^#\/portal/.test(target)) { return false; }
        var d = signupDialog();
        if (typeof d.showModal === "function") { d.showModal(); } else { d.setAttribute("open", ""); }
        return true;
    }

    function start() {
        Array.prototype.forEach.call(document.querySelectorAll("form[data-members-form]"), wireForm);
        document.addEventListener("click", function (event) {
            var link = event.target.closest && event.target.closest("a[href^=\"#/portal\"], [data-portal]");
            if (!link) { return; }
            var target = link.getAttribute("href") || "#/portal/" + link.getAttribute("data-portal");
            if (openPortal(target)) { event.preventDefault(); }
        });
        if (openPortal(window.location.hash)) {
            history.replaceState(null, "", window.location.pathname + window.location.search);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
