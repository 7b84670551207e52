import pytest

from scoring.lib.addresses import client_network


@pytest.mark.parametrize(
    ("address", "client"),
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("2001:db8:1:2:a:b:c:d", "2001:db8:1:2::/64"),
        ("2001:0db8:0001:0002::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("::1", "::/64"),
        ("not an address", "not an address"),
        ("", ""),
    ],
)
def test_a_client_is_an_ipv4_address_or_an_ipv6_64(address, client):
    assert client_network(address) == client
