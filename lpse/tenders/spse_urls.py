"""SPSE 4 paths under ``/spse`` for existing data clients (BID-5, docs/SPSE-COMPAT.md).

Mounted at the site root (paths spelled out) because SPSE's paths have no trailing
slash and a client joins ``{base}/lelang`` to the bare ``/spse``.
"""

from django.urls import path, re_path

from . import converters, spse_views

converters.register()

app_name = "spse"
urlpatterns = [
    path("spse", spse_views.home, name="home"),
    path("spse/", spse_views.home),
    path("spse/lelang", spse_views.list_page, {"kind": "lelang"}, name="tender_list"),
    path("spse/nontender", spse_views.list_page, {"kind": "pl"}, name="nontender_list"),
    path("spse/dt/<str:kind>", spse_views.datatable, name="datatable"),
    path(
        "spse/lelang/<tender_code:code>/pengumumanlelang",
        spse_views.announcement,
        name="tender_announcement",
    ),
    path(
        "spse/lelang/<tender_code:code>/peserta",
        spse_views.participants,
        name="tender_participants",
    ),
    path("spse/lelang/<tender_code:code>/jadwal", spse_views.schedule, name="tender_schedule"),
    path("spse/evaluasi/<tender_code:code>/hasil", spse_views.evaluation, name="tender_evaluation"),
    path("spse/evaluasi/<tender_code:code>/pemenang", spse_views.winner, name="tender_winner"),
    path(
        "spse/evaluasi/<tender_code:code>/pemenangberkontrak",
        spse_views.contracted_winner,
        name="tender_contracted_winner",
    ),
    path(
        "spse/nontender/<tender_code:code>/pengumumanpl",
        spse_views.nontender_announcement,
        name="nontender_announcement",
    ),
    path(
        "spse/nontender/<tender_code:code>/peserta",
        spse_views.nontender_participants,
        name="nontender_participants",
    ),
    path(
        "spse/nontender/<tender_code:code>/jadwal",
        spse_views.nontender_schedule,
        name="nontender_schedule",
    ),
    path(
        "spse/evaluasinontender/<tender_code:code>/hasil",
        spse_views.nontender_evaluation,
        name="nontender_evaluation",
    ),
    path(
        "spse/evaluasinontender/<tender_code:code>/pemenang",
        spse_views.nontender_winner,
        name="nontender_winner",
    ),
    path(
        "spse/evaluasinontender/<tender_code:code>/pemenangberkontrak",
        spse_views.nontender_contracted_winner,
        name="nontender_contracted_winner",
    ),
    # Anything else under /spse answers SPSE's "not found" sentence.
    re_path(r"^spse/.*$", spse_views.not_found),
]
