"""The demo's issues, in words: a title and one sentence of context per issue, per milestone.

Kept apart from `demo.py` (which says when each issue opened and closed) so the story reads
in one place. In each milestone the closed issues come first, in the order they closed, and
the issues added after planning come last.
"""

from __future__ import annotations

Text = tuple[str, str]
"""(title, what it is about)."""

SAVED_CARTS: tuple[Text, ...] = (
    (
        "Persist cart contents per signed-in user",
        "Carts live only in the browser session; "
        "signing in on a second device starts with an empty cart.",
    ),
    (
        "Add saved_carts table and migration",
        "One row per user and item, with the price seen "
        "when it was saved, so a price change can be shown later.",
    ),
    (
        "Merge guest cart into saved cart at sign-in",
        "Guests who sign in at checkout lose what "
        "they added before; merge by SKU and keep the larger quantity.",
    ),
    (
        "Expire saved carts after 90 days of inactivity",
        "Legal asked for a retention limit on stored shopping data.",
    ),
    (
        "Show a 'Saved for later' section under the cart",
        "Design: Figma frame 'Cart v3', collapsed when empty.",
    ),
    (
        "Move items between cart and saved-for-later",
        "One tap each way; quantities survive the move.",
    ),
    (
        "Price change notice on saved items",
        "Show the old and new price when a saved item's price moved by more than 1%.",
    ),
    (
        "Out-of-stock badge for saved items",
        "Saved items that sold out stay in the list, greyed, with a 'notify me' link.",
    ),
    (
        "API: GET /v1/carts/saved with pagination",
        "The apps need the saved list too; cursor pagination, 50 per page.",
    ),
    (
        "Rate-limit cart writes per session",
        "A bot wrote 40,000 cart updates in an hour last "
        "month; 60 writes a minute is plenty for people.",
    ),
    ("Feature flag saved_carts_beta", "The beta opens to 5% of signed-in users first."),
    (
        "Track saved-cart events in analytics",
        "save, restore, expire: product wants the restore rate after two weeks of beta.",
    ),
    (
        "Saved cart lost when the session cookie rotates",
        "Rotating the session id at sign-in "
        "drops the link to the saved cart; about 2% of beta users hit it.",
    ),
    (
        "Cart badge count ignores saved-for-later items",
        "Users think saved items vanished; show '3 + 2 saved'.",
    ),
    (
        "Document the saved-carts API for partners",
        "Two marketplace partners asked for it before they build on it.",
    ),
    (
        "Load test cart merge at 500 requests/s",
        "The merge runs on every sign-in; Black Friday peaks at about 400 sign-ins per second.",
    ),
    (
        "Screen reader announces 'button' for Save for later",
        "The icon button has no accessible name.",
    ),
    (
        "Support macros for the saved-carts beta",
        "Support needs answers ready before users start asking where their cart went.",
    ),
)

SHOP_HARDENING: tuple[Text, ...] = (
    (
        "Rotate the Stripe webhook signing secret",
        "The old secret was in a screenshot shared in a vendor ticket.",
    ),
    ("Upgrade Django to 5.1.4", "Security release: SQL injection in a rarely used lookup."),
    (
        "Pin transitive dependencies in the lockfile",
        "Two builds last month picked up a new minor version nobody reviewed.",
    ),
    (
        "HSTS preload for shop.acme.com",
        "Every subdomain serves HTTPS now; the preload list makes that permanent.",
    ),
    (
        "Remove unused admin endpoints",
        "/admin/legacy-import and /admin/debug are reachable "
        "from the internet and unused since 2023.",
    ),
    (
        "Content-Security-Policy for checkout pages",
        "Report-only for a week showed two inline scripts to move first.",
    ),
    (
        "Alert on a 5xx rate above 1% for 5 minutes",
        "Last outage was noticed by customers before the on-call.",
    ),
    (
        "Verify the nightly restore of the orders database",
        "Backups were taken but a restore was never tried.",
    ),
    (
        "Drop TLS 1.0 and 1.1 on the load balancer",
        "Under 0.01% of traffic still uses them, all from scanners.",
    ),
    ("Scrub card BINs from application logs", "PCI finding from the October review."),
)

GIFT_CARDS: tuple[Text, ...] = (
    (
        "Gift card ledger and data model",
        "Every balance change is a ledger entry, never an update in place.",
    ),
    (
        "Issue gift cards from the admin",
        "Support issues goodwill cards by hand today, from a spreadsheet.",
    ),
    (
        "Gift card codes without ambiguous characters",
        "No 0/O or 1/l: people type these from paper.",
    ),
    (
        "Redeem a gift card at checkout",
        "A field under the payment methods; applied before card payment.",
    ),
    (
        "Partial redemption keeps the remaining balance",
        "A 50 EUR card on a 30 EUR order leaves 20 EUR.",
    ),
    (
        "Show the gift card balance on the account page",
        "Cards added to the account show balance and expiry.",
    ),
    ("Email a gift card to someone else", "With a message and a send date."),
    (
        "Refund to the gift card it was paid with",
        "Refunding to a card the buyer doesn't own would be a fraud channel.",
    ),
    (
        "Block more than 5 failed redemptions per hour",
        "Code guessing is the common attack on gift cards.",
    ),
    (
        "VAT treatment of gift cards on EU invoices",
        "Multi-purpose vouchers are taxed at redemption, not at sale; finance to confirm.",
    ),
)

ACCESSIBILITY: tuple[Text, ...] = (
    (
        "Skip-to-content link on every page",
        "Keyboard users tab through 38 header links before reaching the content.",
    ),
    (
        "Visible focus ring on all interactive elements",
        "The reset stylesheet removes outlines everywhere.",
    ),
    (
        "Alt text for product images from the CMS",
        "The CMS has an alt field; the templates ignore it.",
    ),
    (
        "Announce form errors to screen readers",
        "Errors appear visually only; use aria-describedby and a live region.",
    ),
    ("Contrast of secondary buttons below 4.5:1", "Grey on white measures 3.2:1."),
    ("Keyboard trap in the date picker", "Tab never leaves the calendar once it opens."),
    ("Landmarks: one main, labelled navigation", "Three nav elements, none labelled, and no main."),
    (
        "Headings skip levels on category pages",
        "h1 then h4: screen reader users navigate by headings.",
    ),
    ("Accessible names for icon-only buttons", "Search, cart and close buttons read as 'button'."),
    ("Respect prefers-reduced-motion in carousels", "The home carousel autoplays regardless."),
    (
        "Focus lost after closing the size-guide dialog",
        "Focus jumps to the top of the page instead of back to the button that opened it.",
    ),
    (
        "Price changes not announced in the mini-cart",
        "Changing quantity updates the total silently.",
    ),
    ("Zoom to 200% breaks the header layout", "The menu overlaps the search field and hides it."),
    ("Order history tables lack header cells", "Screen readers read a grid of unlabelled numbers."),
    (
        "Audit: link text 'click here' on 40 pages",
        "From the external audit: links must make sense out of context.",
    ),
    (
        "Audit: placeholder is the only label in search",
        "From the external audit: the label disappears as soon as you type.",
    ),
    (
        "Audit: video autoplays on the home page",
        "From the external audit: no pause control within 5 seconds.",
    ),
    (
        "Audit: touch targets under 24 px in the footer",
        "From the external audit: WCAG 2.2 target size.",
    ),
    (
        "Audit: page language not set on /fr",
        "From the external audit: French pages are read with an English voice.",
    ),
    (
        "Audit: results count not announced after filtering",
        "From the external audit: status messages need a live region.",
    ),
)

SEARCH: tuple[Text, ...] = (
    (
        "Index products in the new search cluster",
        "Three nodes, one replica; the catalogue is 1.2 M documents.",
    ),
    ("Synonyms for common misspellings", "Top 300 misspelled queries from last quarter."),
    ("Facet counts for brand and size", "Counts must match what the filters return."),
    ("Search-as-you-type endpoint behind a flag", "Debounced at 150 ms on the client."),
    ("Highlight matched terms in results", "Bold the matched words in titles only."),
    (
        "Relevance test set of 200 real queries",
        "Judged by the merchandising team; run on every ranking change.",
    ),
    ("Backfill the index from the catalogue export", "Nightly full export plus the change stream."),
    ("Dashboard: zero-result queries per day", "Merchandising wants the list every morning."),
    ("Switch the query path to vendor API v2", "Behind the search_v2 flag, per country."),
    (
        "Keep filters when navigating back to results",
        "The back button drops every filter and the page number.",
    ),
    ("Typo tolerance for SKUs", "Staff search by SKU and mistype one character."),
    ("Results page under 300 ms at p95", "Today 780 ms, mostly facet counting."),
    ("Retire the old Solr index", "After two weeks on v2 with no rollback."),
    (
        "Vendor search API v2 returns 503 for EU tenants",
        "Every call from the EU region fails "
        "since the vendor's migration; their ticket VND-2231 is open. Nothing on the new query "
        "path can ship until it works.",
    ),
)

WEB_HARDENING: tuple[Text, ...] = (
    ("Upgrade Next.js to 14.2.15", "Fixes the cache poisoning advisory."),
    ("Content-Security-Policy on web", "Same policy as the shop, plus the CMS preview host."),
    (
        "Subresource integrity for third-party scripts",
        "Two analytics scripts load from CDNs without integrity hashes.",
    ),
    ("Remove the legacy /beta routes", "Unused since the 2.0 launch, still deployed."),
    (
        "Group minor dependency updates weekly",
        "Forty Renovate pull requests a week is too many to review.",
    ),
    ("Audit npm packages with install scripts", "Seven dependencies run code at install time."),
    ("Rotate the CDN API keys", "Keys were last rotated in 2022."),
    ("Secret scanning push protection", "Turn it on for every repository in the org."),
    (
        "Open redirect in /login?next=",
        "Any URL is accepted after sign-in: a ready-made phishing link on our own domain.",
    ),
    ("Session cookie with the __Host- prefix", "Stops subdomains from setting it."),
    (
        "Rate-limit the newsletter sign-up form",
        "Used to send confirmation mail to thousands of addresses last week.",
    ),
    (
        "Protect preview deployments with sign-in",
        "Preview URLs are public and indexed by one search engine.",
    ),
)

PAY_21: tuple[Text, ...] = (
    (
        "Retry settlement file upload on SFTP timeout",
        "The bank's SFTP drops about one upload a week.",
    ),
    ("Idempotency keys for the refund API", "A retried request refunded twice in October."),
    (
        "Reconcile weekend settlement batches",
        "Saturday and Sunday batches arrive together on Monday and are matched as one.",
    ),
    ("Verify the chargeback webhook signature", "The endpoint accepts unsigned posts."),
    ("Refund emails sent twice on retry", "The email job isn't idempotent."),
    (
        "Currency rounding in partial refunds",
        "JPY and other zero-decimal currencies round to the wrong unit.",
    ),
    ("Fee column in the settlement report", "Finance reconciles fees by hand today."),
    ("Alert when a settlement batch is late", "A missed batch was noticed three days later."),
    ("Move refund jobs to the queue", "Cron runs every 10 minutes and overlaps itself."),
    (
        "Store the processor reference on every refund",
        "Support can't find refunds in the processor's dashboard without it.",
    ),
    (
        "Settlement report misses transactions after 23:00 UTC",
        "The cut-off uses local time, so the last hour lands in no report.",
    ),
    (
        "Refund status stuck when the processor times out",
        "The refund shows 'pending' forever although the processor completed it.",
    ),
    ("Runbook for a manual settlement re-run", "Only one person knows the steps."),
    ("PCI scope review for the refund service", "The service now sees card fingerprints."),
)

PAY_22: tuple[Text, ...] = (
    (
        "SEPA Direct Debit mandates",
        "Collect and store mandates; needs the bank contract signed first.",
    ),
    ("Mandate PDF in the customer's language", "German, French, Dutch and Spanish."),
    (
        "Pre-notification email before each debit",
        "Required 14 days ahead unless agreed otherwise in the mandate.",
    ),
    ("Handle R-transactions (returns and refusals)", "Returned debits must reopen the invoice."),
    ("Direct debit in the checkout payment picker", "Only for EU billing addresses."),
    ("IBAN validation", "Checksum and country format before submitting."),
    ("Report direct debit failures by reason", "Finance wants the R-codes weekly."),
    ("Legal review of the mandate wording", "Legal is waiting for the bank's template."),
)

SPRINT_42: tuple[Text, ...] = (
    ("Upgrade the Stripe SDK to v11", "v9 is out of support in January."),
    ("Fix the flaky refund integration test", "Fails one run in ten on a timing assumption."),
    ("Log processor latency per request", "To see which processor slows checkout."),
    ("Remove the old payouts cron", "Replaced by the queue in Sprint 40."),
    ("Sandbox keys for the new QA environment", "QA is blocked on shared keys."),
    ("VAT number shown twice on invoice PDFs", "Since the template change in Sprint 41."),
    (
        "Dispute evidence upload fails over 5 MB",
        "The processor allows 10 MB; our proxy stops at 5.",
    ),
    (
        "Payment method list slow for large merchants",
        "2.4 s for merchants with more than 200 stored methods.",
    ),
    (
        "Retry payment webhook delivery with backoff",
        "Merchants miss events when their endpoint blips.",
    ),
    ("Deprecation notice for /v1/charges", "Six merchants still call it daily."),
    ("Merchant CSV export garbles umlauts", "Excel opens it as Latin-1: add a BOM."),
    ("Document the webhook retry policy", "Merchants ask support weekly."),
)
