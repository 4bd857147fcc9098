"""Tender URLs under /tender/ (BID-1, BID-6, ERR-3). Committee pages live under kelola/,
head/administrator pages under jadwal/perubahan/, vendor pages under <code>/...;
tender codes are digits only, so word paths never collide with them."""

from django.urls import include, path, re_path

from . import change_views, vendor_views, views

app_name = "tenders"

CODE = r"(?P<code>\d{1,20})"

urlpatterns = [
    path("kelola/", views.committee_list, name="committee_list"),
    path("kelola/baru/", views.tender_create, name="create"),
    re_path(rf"^kelola/{CODE}/$", views.tender_manage, name="manage"),
    re_path(rf"^kelola/{CODE}/ubah/$", views.tender_edit, name="edit"),
    re_path(rf"^kelola/{CODE}/jadwal/$", views.schedule_edit, name="schedule"),
    re_path(rf"^kelola/{CODE}/dokumen/$", views.document_upload, name="document_upload"),
    re_path(rf"^kelola/{CODE}/pokja/$", views.member_add, name="member_add"),
    re_path(
        rf"^kelola/{CODE}/pokja/(?P<user_id>\d+)/hapus/$",
        views.member_remove,
        name="member_remove",
    ),
    re_path(rf"^kelola/{CODE}/umumkan/$", views.announce, name="announce"),
    re_path(rf"^kelola/{CODE}/batal/$", views.cancel, name="cancel"),
    re_path(rf"^kelola/{CODE}/tutup/$", views.close, name="close"),
    re_path(
        rf"^kelola/{CODE}/pertanyaan/(?P<pk>\d+)/jawab/$",
        views.question_answer,
        name="question_answer",
    ),
    re_path(
        rf"^kelola/{CODE}/sanggah/(?P<pk>\d+)/jawab/$",
        views.objection_answer,
        name="objection_answer",
    ),
    re_path(rf"^kelola/{CODE}/evaluasi/(?P<pk>\d+)/$", views.evaluate, name="evaluate"),
    re_path(rf"^kelola/{CODE}/pemenang/(?P<pk>\d+)/$", views.winner, name="winner"),
    path("saya/", vendor_views.my_tenders, name="my_tenders"),
    path("pakta/", views.pact_list, name="pact_list"),
    re_path(rf"^{CODE}/pakta/$", views.pact, name="pact"),
    path("jadwal/perubahan/", change_views.change_queue, name="change_queue"),
    path("jadwal/perubahan/<int:pk>/", change_views.change_detail, name="change_detail"),
    path("jadwal/perubahan/<int:pk>/tarik/", change_views.change_withdraw, name="change_withdraw"),
    re_path(rf"^{CODE}/ikut/$", vendor_views.join, name="join"),
    re_path(rf"^{CODE}/dokumen/(?P<pk>\d+)/$", vendor_views.document_download, name="document"),
    re_path(rf"^{CODE}/pertanyaan/$", vendor_views.questions, name="questions"),
    re_path(rf"^{CODE}/sanggah/$", vendor_views.objections, name="objections"),
    re_path(rf"^{CODE}/jadwal/ubah/$", change_views.change_request, name="change_request"),
    # Public pages (BID-5) last: their codes are digits, never a word path.
    path("", include("lpse.tenders.public_urls")),
]
