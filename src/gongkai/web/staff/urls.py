from django.urls import path

from . import annual, appeals, intake, letters, publications, registers, reminders, views

app_name = "staff"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("", views.case_list, name="case_list"),
    path("cases/new/", intake.case_register, name="case_register"),
    path("cases/new/done/<str:token>/", intake.case_register_done, name="case_register_done"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/steps/<str:step>/", views.case_step, name="case_step"),
    path("cases/<int:pk>/letters/<slug:letter_type>.<slug:extension>", letters.letter_download, name="letter_download"),
    path("appeals/", appeals.appeal_list, name="appeal_list"),
    path("appeals/new/", appeals.appeal_create, name="appeal_create"),
    path("appeals/<int:pk>/", appeals.appeal_detail, name="appeal_detail"),
    path("appeals/<int:pk>/decide/", appeals.appeal_decide, name="appeal_decide"),
    path("appeals/<int:pk>/correct/", appeals.appeal_correct, name="appeal_correct"),
    path("registers/documents/", registers.document_list, name="register_documents"),
    path("registers/documents/new/", registers.document_create, name="register_document_create"),
    path("registers/documents/<int:pk>/", registers.document_edit, name="register_document_edit"),
    path("registers/figures/", registers.figures_list, name="register_figures"),
    path("registers/import/", registers.register_import, name="register_import"),
    path("publications/", publications.publication_list, name="publication_list"),
    path("publications/new/", publications.publication_new, name="publication_new"),
    path("publications/import/", publications.catalogue_import_page, name="publication_import"),
    path("publications/<int:pk>/", publications.publication_detail, name="publication_detail"),
    path("publications/<int:pk>/edit/", publications.publication_edit, name="publication_edit"),
    path("publications/<int:pk>/steps/<str:step>/", publications.publication_step, name="publication_step"),
    path("publications/attachments/<int:pk>/", publications.attachment_download, name="publication_attachment"),
    path("publications/attachments/<int:pk>/remove/", publications.attachment_remove,
         name="publication_attachment_remove"),
    path("reminders/", reminders.message_list, name="message_list"),
    path("reminders/read/", reminders.messages_mark_read, name="messages_mark_read"),
    path("annual/", annual.annual_list, name="annual_list"),
    path("annual/create/", annual.annual_create, name="annual_create"),
    path("annual/<int:pk>/", annual.annual_detail, name="annual_detail"),
    path("annual/<int:pk>/sections/", annual.annual_sections, name="annual_sections"),
    path("annual/<int:pk>/steps/<str:step>/", annual.annual_step, name="annual_step"),
    path("annual/<int:pk>/cells/<str:table>/<str:row>/<str:column>/", annual.annual_cell, name="annual_cell"),
    path("annual/<int:pk>/download/<str:fmt>/", annual.annual_download, name="annual_download"),
]
