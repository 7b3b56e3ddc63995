"""Searching the timeline: chronological by default, best match first when asked."""

import datetime as dt

import pytest
from django.db import connection

from tests.factories import make_action


@pytest.mark.django_db
def test_relevance_order_ranks_on_postgresql_and_stays_chronological_elsewhere(client):
    """`order=relevance` with a search puts the strongest match first on PostgreSQL
    (full-text rank) under one "Best matches" heading; SQLite keeps newest first."""
    weak = make_action(summary="Regulator opens probe into Example Chips", occurred_from=dt.date(2024, 5, 1))
    strong = make_action(
        summary="Regulator fines Example Chips over chips, chips and more chips", occurred_from=dt.date(2021, 5, 1)
    )
    make_action(summary="Unrelated tariff on steel", occurred_from=dt.date(2023, 1, 1))

    response = client.get("/", {"q": "chips", "order": "relevance"}, headers={"HX-Request": "true"})
    shown = [a.pk for group in response.context["page"].groups for a in group.actions]

    assert set(shown) == {weak.pk, strong.pk}
    if connection.vendor == "postgresql":
        assert shown == [strong.pk, weak.pk]
        assert "Best matches" in response.content.decode()
    else:
        assert shown == [weak.pk, strong.pk]
