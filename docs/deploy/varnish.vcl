vcl 4.1;
# Varnish 7.1 in front of Polosa's app servers: the production edge.
#
# The app tells this edge what each page shows: anonymous cacheable responses carry their dependency
# keys (`xkey: page:12 section:3 feed`), and after a publish commits the app sends
# `PURGE /` with `xkey-purge: <keys>`, which removes exactly the objects showing the change. So pages
# can stay here for as long as the app's s-maxage says, and still show a publish at once.
# Shared pieces of the page (the news feed, rates, the «Срочно» banner, live block, promo slots) come
# as <esi:include> and are cached as objects of their own: a publish that changes the feed purges the
# feed fragment, not every page beside it.
#
# This file is a template: `manage.py run_edge` (polosa/caching/varnish.py) fills in the ${...}
# placeholders and starts varnishd; `make edge` runs it in front of `make serve`. For a hand-run
# Varnish, write the concrete file with `manage.py run_edge --write-vcl /etc/varnish/default.vcl`.
#   ${backend_host}/${backend_port}  one app server (granian); for several, add backends and a
#                                    directors.round_robin() in vcl_init.
#   ${probe_host}                    a Host the app accepts (ALLOWED_HOSTS), for the health probe.
#   ${purgers}                       the ACL of addresses allowed to purge (the app servers and
#                                    workers), e.g. "127.0.0.1"; "10.0.0.0"/8;
#   ${grace_healthy}                 how stale a page may be served while it is refetched, with a
#                                    healthy app (POLOSA_STALE_WHILE_REVALIDATE).
#   ${grace_fallback}                stale-if-error when a response names none (POLOSA_STALE_IF_ERROR).
# See docs/deploy/varnish.md.

import std;
import xkey;

# The probe asks the app's liveness address, which touches neither the database nor the cache: it
# fails only when the app server cannot answer at all (a database outage is the stale-if-error case
# below). X-Forwarded-Proto: https so production settings do not answer a redirect.
probe polosa_front_page {
    .request =
        "HEAD /_util/health/ HTTP/1.1"
        "Host: ${probe_host}"
        "X-Forwarded-Proto: https"
        "User-Agent: Varnish health probe"
        "Connection: close";
    .expected_response = 200;
    .interval = 2s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    # Start healthy: the first readers after a restart should be fetched for, not refused.
    .initial = 3;
}

backend polosa_app {
    .host = "${backend_host}";
    .port = "${backend_port}";
    .probe = polosa_front_page;
    .connect_timeout = 2s;
    # A cold page of a large site renders in a few hundred milliseconds; a minute is a hung worker.
    .first_byte_timeout = 60s;
    # Live-blog event streams send a heartbeat every 15 s (POLOSA_LIVE_HEARTBEAT_SECONDS).
    .between_bytes_timeout = 60s;
}

acl polosa_purgers {
    ${purgers}
}

sub vcl_recv {
    set req.backend_hint = polosa_app;
    if (req.restarts == 0) {
        # Our own markers: a reader must not be able to set them.
        unset req.http.X-Polosa-Edge-Retry;
    }
    unset req.http.X-Cache;
    if (req.esi_level > 0) {
        # An include the app wrote into a page: a GET with its parent's cleaned headers, nothing to
        # normalize or pass. Every include of every page comes here, so it stays short.
        call polosa_grace;
        return (hash);
    }
    # Only this edge may claim ESI: the app sends <esi:include> to whoever says so, and a reader who
    # did would get unassembled pages (and could poison the cache with them).
    unset req.http.Surrogate-Capability;
    # Readers whose client takes no gzip get an uncompressed copy of their own: unpacking the stored
    # gzip object for each of them costs more CPU than the whole rest of a hit. Includes inherit the
    # marker, so a plain page is assembled from plain pieces. (Varnish reduces Accept-Encoding to
    # "gzip" or nothing only after vcl_recv, by the same test.)
    if (req.http.Accept-Encoding ~ "(?i)\bgzip\b" && req.http.Accept-Encoding !~ "(?i)\bgzip\s*;\s*q=0(\.0*)?\s*(,|$)") {
        unset req.http.X-Polosa-Plain;
    } else {
        set req.http.X-Polosa-Plain = "1";
    }
    if (req.http.host) {
        set req.http.host = std.tolower(req.http.host);
    } else if (req.esi_level == 0 && req.proto == "HTTP/1.1") {
        return (synth(400));
    }

    if (req.url == "/_edge/health") {
        # For a load balancer in front, and for the start script to know Varnish answers.
        if (std.healthy(req.backend_hint)) {
            return (synth(200, "OK"));
        }
        return (synth(503, "Backend sick"));
    }

    call polosa_normalize_url;

    if (req.method == "PURGE") {
        if (client.ip !~ polosa_purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            # Hard purge: a soft one would keep serving the old page in grace while refetching, and
            # a publish must be visible to the very next reader.
            set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged"));
        }
        # Wagtail's HTTPBackend purges page URLs one by one. A ban (not return (purge)) covers the
        # page under both http and https, which hash apart. The URL and host are stored on the
        # object, so the ban lurker can drop matching objects in the background.
        if (std.ban("obj.http.X-Polosa-Url == " + req.url + " && obj.http.X-Polosa-Host == " + req.http.host)) {
            return (synth(200, "Banned"));
        }
        return (synth(400, std.ban_error()));
    }
    if (req.method != "GET" && req.method != "HEAD" && req.method != "POST" && req.method != "PUT"
        && req.method != "DELETE" && req.method != "PATCH" && req.method != "OPTIONS") {
        # BAN, CONNECT, PRI...: nothing the app answers; the builtin would pipe them.
        return (synth(405, "Method Not Allowed"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors, previews (they live under /admin/), documents behind privacy settings, and the small
    # per-reader endpoints (read beacons, live-blog event streams, feed refresh) always reach the app.
    if (req.url ~ "^/(admin|django-admin|documents|_util)/") {
        return (pass);
    }
    if (req.http.Accept ~ "text/event-stream") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # An editor's session or a flash message: the page is someone's own. Same names as the app's
    # page cache (SESSION_COOKIE_NAME, messages).
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Readers' other cookies (csrftoken from a form, analytics) never change a page, so they must
    # not split or bypass the cache.
    unset req.http.Cookie;
    call polosa_grace;
    return (hash);
}

sub polosa_grace {
    if (std.healthy(req.backend_hint) && !req.http.X-Polosa-Edge-Retry) {
        # The app is up: a page past its time is served stale only briefly while it is refetched.
        # When the app is sick, or after a failed fetch (the retry), the full grace applies:
        # yesterday's page beats an error page.
        set req.grace = ${grace_healthy};
    } else {
        # The object's own grace (the app's stale-if-error) is the limit. Set, not left alone: req.grace
        # survives a restart, so the retry would still carry the healthy limit.
        set req.grace = 3650d;
    }
}

sub polosa_normalize_url {
    # The app ignores tracking parameters when it caches (polosa.caching.pages.TRACKING_PARAMS, the
    # same prefixes): so does the edge, or every campaign link would be a miss.
    if (req.url ~ "[?&](utm_|yclid|gclid|fbclid|_openstat|from)") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_|yclid|gclid|fbclid|_openstat|from)[^&]*(&|$)", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    if (req.url ~ "\?") {
        set req.url = std.querysort(req.url);
    }
}

sub vcl_hash {
    hash_data(req.url);
    hash_data(req.http.host);
    if (req.http.X-Polosa-Plain) {
        hash_data("plain");
    }
    # http and https differ: with SECURE_SSL_REDIRECT the app answers http with a redirect, which must
    # never be served to https readers.
    if (req.http.X-Forwarded-Proto) {
        hash_data(req.http.X-Forwarded-Proto);
    }
    return (lookup);
}

sub vcl_hit {
    if (obj.ttl >= 0s) {
        set req.http.X-Cache = "HIT";
    } else {
        set req.http.X-Cache = "HIT-STALE";
    }
    return (deliver);
}

sub vcl_miss {
    set req.http.X-Cache = "MISS";
    return (fetch);
}

sub vcl_pass {
    set req.http.X-Cache = "PASS";
    return (fetch);
}

sub vcl_backend_fetch {
    if (bereq.method == "GET") {
        unset bereq.body;
    }
    if (!bereq.uncacheable) {
        # Ask for shells with <esi:include> (POLOSA_EDGE_INCLUDES=esi). Passed requests (editors)
        # are composed by the app itself, as nothing here would assemble them.
        set bereq.http.Surrogate-Capability = {"varnish="ESI/1.0""};
    }
    if (bereq.http.X-Polosa-Plain) {
        unset bereq.http.Accept-Encoding;
    }
    return (fetch);
}

sub vcl_backend_response {
    # vmod-xkey reads only the xkey header; the app may be configured for another edge's name
    # (POLOSA_SURROGATE_KEY_HEADER). xkey splits on spaces and commas, so Cache-Tag works too.
    if (!beresp.http.xkey) {
        if (beresp.http.Surrogate-Key) {
            set beresp.http.xkey = beresp.http.Surrogate-Key;
        } else if (beresp.http.Cache-Tag) {
            set beresp.http.xkey = beresp.http.Cache-Tag;
        }
    }
    unset beresp.http.Surrogate-Key;
    unset beresp.http.Cache-Tag;

    if (beresp.http.Content-Type ~ "(?i)text/event-stream") {
        # Each event must reach the reader as it is written: no gzip (it buffers), no storage.
        set beresp.do_gzip = false;
        set beresp.do_stream = true;
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }

    if (beresp.status >= 500 && !bereq.uncacheable) {
        if (bereq.is_bgfetch) {
            # A reader already got the stale copy; keep it rather than replace it with the error.
            return (abandon);
        }
        if (!bereq.http.X-Polosa-Edge-Retry) {
            # The client side restarts with the full grace (vcl_synth) and finds the stale copy,
            # if there is one. Abandoning stores nothing, so that copy is still there.
            return (abandon);
        }
        # Retried and still failing, with nothing stale to serve: the app's own error page, not
        # stored, and not coalescing the next readers behind one another for a few seconds.
        set beresp.ttl = 10s;
        set beresp.uncacheable = true;
        return (deliver);
    }

    if (beresp.http.Surrogate-Control ~ "ESI/1\.0") {
        set beresp.do_esi = true;
    }
    unset beresp.http.Surrogate-Control;

    # ESI assembles gzip pieces without unpacking them, and readers without gzip get it unpacked.
    if (!bereq.http.X-Polosa-Plain && !beresp.http.Content-Encoding && beresp.http.Content-Type ~ "(?i)^(text/|application/(javascript|json|ld\+json|xml|rss\+xml|atom\+xml|manifest\+json)|image/svg\+xml)") {
        set beresp.do_gzip = true;
    }

    if (bereq.uncacheable) {
        return (deliver);
    }

    # The builtin checks skip Cache-Control when Surrogate-Control is present, which the app sends
    # with every ESI shell: check it here instead.
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Vary == "*") {
        # Hit-for-miss: the next request goes straight to the app, and may be stored if cacheable.
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    if (!beresp.http.Cache-Control && !beresp.http.Expires) {
        # A response that states no lifetime (a 404, a redirect) carries no keys to purge it by, so
        # it is kept only as long as the app's own default promise: a second.
        set beresp.ttl = 1s;
    }
    if (beresp.ttl <= 0s) {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }

    # Keep every object for the app's stale-if-error past its time: served while the app is sick or
    # failing (vcl_recv limits it to ${grace_healthy} while the app is healthy).
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1s"), ${grace_fallback});
    } else {
        set beresp.grace = ${grace_fallback};
    }
    # Past its grace, a page with a validator is refetched conditionally: a 304 from the app.
    set beresp.keep = 1h;

    # For URL bans (PURGE <url>): what the object was fetched as.
    set beresp.http.X-Polosa-Url = bereq.url;
    set beresp.http.X-Polosa-Host = bereq.http.host;
    return (deliver);
}

sub vcl_backend_error {
    if (!bereq.uncacheable && !bereq.http.X-Polosa-Edge-Retry) {
        # The app could not be reached: restart with the full grace (vcl_synth), as for a 5xx.
        return (abandon);
    }
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Retry-After = "30";
    set beresp.http.Cache-Control = "no-store";
    set beresp.body = {"<!DOCTYPE html>
<html lang="ru">
<head><meta charset="utf-8"><title>Сайт временно недоступен</title></head>
<body>
<h1>Сайт временно недоступен</h1>
<p>Мы уже чиним. Обновите страницу через минуту.</p>
</body>
</html>
"};
    return (deliver);
}

sub vcl_deliver {
    if (req.esi_level > 0) {
        # An include's headers never reach the reader; only its body does.
        return (deliver);
    }
    # What only this edge needs: the keys (a map of what every page shows), the ESI instruction,
    # the object's address for bans.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Control;
    unset resp.http.X-Polosa-Url;
    unset resp.http.X-Polosa-Host;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    # Only this edge hears of purges; a shared cache further down (a corporate proxy) must not keep
    # pages for s-maxage. Browsers revalidate anyway (max-age).
    if (resp.http.Cache-Control ~ "s-maxage") {
        set resp.http.Cache-Control = regsub(
            regsub(resp.http.Cache-Control, "s-maxage=[0-9]+\s*,?\s*", ""), ",\s*$", "");
    }
    if (req.http.X-Cache) {
        set resp.http.X-Cache = req.http.X-Cache;
    }
    return (deliver);
}

sub vcl_synth {
    if (resp.status == 503 && req.restarts == 0 && req.http.X-Cache == "MISS") {
        # A fetch for a cacheable page failed or answered 5xx and was abandoned: look again, with
        # the full grace, for a stale copy to serve instead of an error.
        set req.http.X-Polosa-Edge-Retry = "1";
        return (restart);
    }
    if (req.http.X-Purged) {
        set resp.http.X-Purged = req.http.X-Purged;
    }
    set resp.http.Cache-Control = "no-store";
    if (resp.status == 503 && req.http.X-Cache) {
        set resp.http.Content-Type = "text/html; charset=utf-8";
        set resp.http.Retry-After = "30";
        set resp.body = {"<!DOCTYPE html>
<html lang="ru">
<head><meta charset="utf-8"><title>Сайт временно недоступен</title></head>
<body>
<h1>Сайт временно недоступен</h1>
<p>Мы уже чиним. Обновите страницу через минуту.</p>
</body>
</html>
"};
    } else {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
    }
    return (deliver);
}
