"""The data an email needs is encrypted on its row, and still opens after the secret key is rotated."""

import pytest

from amtsweg.notifications.sealing import InvalidToken, seal, unseal


def test_sealed_data_is_unreadable_and_opens_again():
    token = seal({"access_code": "7KQ2-M9XD"})

    assert "7KQ2-M9XD" not in token
    assert unseal(token) == {"access_code": "7KQ2-M9XD"}
    assert seal({}) == "" and unseal("") == {}


def test_data_sealed_under_the_old_secret_key_opens_after_a_rotation_and_not_without_it(settings):
    token = seal({"url": "https://example.org/link"})
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key"
    settings.SECRET_KEY_FALLBACKS = [old]

    assert unseal(token) == {"url": "https://example.org/link"}

    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(InvalidToken):
        unseal(token)
