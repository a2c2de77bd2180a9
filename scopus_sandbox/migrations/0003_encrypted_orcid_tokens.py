"""ORCID tokens held by wizard sessions are encrypted at rest: existing plain tokens are
encrypted in place before the plain column goes."""

from django.db import migrations, models


def encrypt_tokens(apps, schema_editor):
    from scopus_sandbox.crypto import encrypt

    sessions = apps.get_model("scopus_sandbox", "WizardSession")
    alias = schema_editor.connection.alias
    for session in sessions.objects.using(alias).exclude(access_token="").iterator():
        session.access_token_encrypted = encrypt(session.access_token)
        session.save(update_fields=["access_token_encrypted"])


def decrypt_tokens(apps, schema_editor):
    from scopus_sandbox.crypto import decrypt

    sessions = apps.get_model("scopus_sandbox", "WizardSession")
    alias = schema_editor.connection.alias
    for session in sessions.objects.using(alias).exclude(access_token_encrypted="").iterator():
        session.access_token = decrypt(session.access_token_encrypted)[:200]
        session.save(update_fields=["access_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("scopus_sandbox", "0002_abstract_retrieval_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="wizardsession",
            name="access_token_encrypted",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="wizardsession",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("wizard", "Scopus to ORCID wizard"),
                    ("feedback", "Author Feedback Wizard"),
                ],
                default="wizard",
                max_length=10,
            ),
        ),
        migrations.RunPython(encrypt_tokens, decrypt_tokens),
        migrations.RemoveField(
            model_name="wizardsession",
            name="access_token",
        ),
    ]
