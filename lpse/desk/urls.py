from django.urls import path

from . import kb_views, requester_views, support_views, views

app_name = "desk"
urlpatterns = [
    # Officers (DESK-1..3)
    path("antrean/", views.queue, name="queue"),
    path("catat/", views.log_request, name="log"),
    path("tiket/<int:pk>/", views.ticket, name="ticket"),
    path("tiket/<int:pk>/jawab/", views.ticket_reply, name="ticket_reply"),
    path("tiket/<int:pk>/catatan/", views.ticket_note, name="ticket_note"),
    path("tiket/<int:pk>/petugas/", views.ticket_assign, name="ticket_assign"),
    path("tiket/<int:pk>/status/", views.ticket_status, name="ticket_status"),
    path("tiket/<int:pk>/eskalasi/", views.ticket_escalate, name="ticket_escalate"),
    path("tiket/<int:pk>/coba-lagi/", views.upload_retry, name="upload_retry"),
    path("eskalasi/<int:pk>/jawaban/", views.lkpp_answer, name="lkpp_answer"),
    path("lampiran/<int:pk>/", views.attachment_download, name="attachment"),
    path("laporan/", views.report, name="report"),
    # Requesters (DESK-2, DESK-4)
    path("tiket-saya/", requester_views.my_tickets, name="my_tickets"),
    path("tiket-saya/baru/", requester_views.new_ticket, name="new_ticket"),
    path("tiket-saya/<int:pk>/", requester_views.my_ticket, name="my_ticket"),
    path("tiket-saya/<int:pk>/pesan/", requester_views.my_ticket_message, name="my_ticket_message"),
    path("tiket-saya/<int:pk>/nilai/", requester_views.my_ticket_rate, name="my_ticket_rate"),
    path("nilai/<str:token>/", requester_views.rate, name="rate"),
    # Upload failures and support access (ERR-4)
    path("gagal-unggah/", requester_views.report_upload, name="report_upload"),
    path("akses-dukungan/", requester_views.grants, name="grants"),
    path("akses-dukungan/<int:pk>/cabut/", requester_views.grant_revoke, name="grant_revoke"),
    path("dukungan/<int:pk>/", support_views.support, name="support"),
    path("dukungan/<int:pk>/unggah/", support_views.support_upload, name="support_upload"),
    # Knowledge base and topics
    path("pengetahuan/", kb_views.articles, name="articles"),
    path("pengetahuan/baru/", kb_views.article_edit, name="article_new"),
    path("pengetahuan/<int:pk>/", kb_views.article, name="article"),
    path("pengetahuan/<int:pk>/ubah/", kb_views.article_edit, name="article_edit"),
    path("topik/", kb_views.topics, name="topics"),
    path("topik/<int:pk>/", kb_views.topics, name="topic_edit"),
]
