import factory
from django.contrib.auth import get_user_model

from .models import Address

DEFAULT_PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = "Ada"
    last_name = "Reader"
    password = factory.django.Password(DEFAULT_PASSWORD)


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True


# A valid US address, as an address object (the checkout's `shipping_address`) and in the address book.
ADDRESS = {
    "full_name": "Ada Reader",
    "line1": "12 Analytical Row",
    "line2": "",
    "city": "Springfield",
    "region": "IL",
    "postal_code": "62701",
    "country": "US",
    "phone": "",
}


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    user = factory.SubFactory(UserFactory)
    full_name = ADDRESS["full_name"]
    line1 = ADDRESS["line1"]
    city = ADDRESS["city"]
    region = ADDRESS["region"]
    postal_code = ADDRESS["postal_code"]
    country = ADDRESS["country"]
    is_default = True
