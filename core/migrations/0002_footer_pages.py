"""The footer's pages as Django flat pages, with text a new shop can open with: contact, shipping &
returns, privacy and terms. Staff edit them in the admin (Flat pages); running this again (or after
staff edited them) changes nothing, and undoing it leaves the pages alone.

Flat pages belong to a site: the site SITE_ID names is created here when the sites framework has not
made it yet (it does so only after all migrations).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations

PAGES = [
    (
        "/contact/",
        "Contact us",
        """<p>We are a small, independent bookshop and we read every message.</p>
<ul>
  <li>Email: <a href="mailto:shop@bookstore.local">shop@bookstore.local</a> — we answer within one working day.</li>
  <li>Phone: +1 555 0100, Monday to Friday, 9:00 to 17:00.</li>
  <li>Post: Bookstore, 1 Library Lane, Booktown 12345.</li>
</ul>
<p>About an order, please give its number (for example “Order #42”): it is on your order page and in
every email we sent you about it.</p>""",
    ),
    (
        "/shipping-returns/",
        "Shipping & returns",
        """<h2>Shipping</h2>
<p>Books in stock leave our shop within two working days of your payment. The shipping methods, their
prices and delivery times for your country are shown at checkout, before you pay. Once your parcel is on
its way we email you the carrier and, where there is one, its tracking link.</p>
<h2>Cancelling</h2>
<p>Until your order is shipped you can cancel it from its page: the books go back on the shelf and a
payment is refunded in full to the card you paid with.</p>
<h2>Returns</h2>
<p>Changed your mind? Send books back within 30 days of delivery, unread and as you received them, and
we refund their price. A book that arrived damaged or is not the one you ordered we replace or refund,
return postage included: just write to us first.</p>""",
    ),
    (
        "/privacy/",
        "Privacy",
        """<p>We keep only what we need to sell you books, and we never sell it to anyone.</p>
<ul>
  <li><strong>Your account</strong>: email, user name and the names you give us, to log you in and to
  write to you about your orders.</li>
  <li><strong>Your orders and addresses</strong>: to deliver and, where the law asks us to, for our
  accounts.</li>
  <li><strong>Payments</strong>: card details go straight to our payment provider, Stripe; we never see
  or store them.</li>
  <li><strong>Cookies</strong>: only the ones the shop needs to work (your session, your cart and the
  protection of forms). No advertising or tracking cookies.</li>
</ul>
<p>You can ask us what we hold about you, or to close your account, at any time: see Contact.</p>""",
    ),
    (
        "/terms/",
        "Terms of sale",
        """<p>These terms apply to every order placed in this shop.</p>
<ol>
  <li>Prices are shown in the shop's currency and are the ones at the moment you place the order; your
  order page keeps them.</li>
  <li>An order is reserved for you until the payment deadline shown on its page; an order not paid by
  then is cancelled and its books go back on sale.</li>
  <li>The contract is made when your payment is confirmed; we then email you.</li>
  <li>You may cancel until the order is shipped and return books as described in Shipping &amp;
  returns.</li>
  <li>Questions or complaints: see Contact. Nothing in these terms limits your rights as a consumer.</li>
</ol>""",
    ),
]


def seed_footer_pages(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    FlatPage = apps.get_model("flatpages", "FlatPage")
    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    site, _ = Site.objects.get_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": "Bookstore"})
    for url, title, content in PAGES:
        page, created = FlatPage.objects.get_or_create(url=url, defaults={"title": title, "content": content})
        if created:
            page.sites.add(site)


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0002_alter_domain_unique"),
        ("flatpages", "0001_initial"),
        ("core", "0001_database_cache_tables"),
    ]

    operations = [migrations.RunPython(seed_footer_pages, migrations.RunPython.noop)]
