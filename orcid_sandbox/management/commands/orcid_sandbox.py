"""`scholarhub orcid-sandbox …`: administer the local ORCID registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError

import identifiers
from orcid_sandbox import actions
from orcid_sandbox.choices import Scope
from orcid_sandbox.demo import CastError, read_cast, seed_from_cast
from orcid_sandbox.models import Account, Client
from orcid_sandbox.rules import client_path_is_valid


class Command(BaseCommand):
    help = "Administer the ORCID sandbox: seed-demo, create-account, register-client."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        seed = commands.add_parser(
            "seed-demo", help="seed accounts, clients and works from the demo cast"
        )
        seed.add_argument("--cast", type=Path, required=True, help="the hand-over file (cast.json)")
        account = commands.add_parser("create-account", help="register an account")
        account.add_argument("--email", required=True)
        account.add_argument("--password", required=True)
        account.add_argument("--given-names", required=True)
        account.add_argument("--family-name", default="")
        account.add_argument("--orcid", default="", help="a specific iD (default: mint one)")
        client = commands.add_parser("register-client", help="register a member API client")
        client.add_argument("--name", required=True)
        client.add_argument("--website", default="")
        client.add_argument("--redirect-uri", action="append", required=True)
        client.add_argument("--client-id", default="")
        client.add_argument("--client-secret", default="")
        client.add_argument(
            "--assertion-origin",
            action="store_true",
            help="may write items with the researcher as assertion origin",
        )

        token = commands.add_parser(
            "issue-token",
            help="issue an access token for a record to a client (tests, benchmarks)",
        )
        token.add_argument("--orcid", required=True)
        token.add_argument("--client-id", required=True)
        token.add_argument("--scope", default="/activities/update /person/update /read-limited")

        deprecate = commands.add_parser(
            "deprecate",
            help="mark a record deprecated in favour of another (the API then answers 301)",
        )
        deprecate.add_argument("--orcid", required=True, help="the duplicate record")
        deprecate.add_argument("--primary", required=True, help="the record that stays")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "seed-demo":
            try:
                counts = seed_from_cast(read_cast(options["cast"]))
            except CastError as error:
                raise CommandError(str(error)) from error
            except (KeyError, TypeError) as error:
                raise CommandError(f"the cast file is missing a field: {error}") from error
            self.stdout.write(
                f"ORCID sandbox: {counts['accounts']} accounts and {counts['works']} works added"
            )
        elif action == "deprecate":
            self.deprecate(options)
        elif action == "issue-token":
            self.issue_token(options)
        elif action == "create-account":
            if len(options["password"]) < 8:
                raise CommandError("--password must have at least 8 characters")
            try:
                account = actions.do_create_account(
                    email=options["email"],
                    password=options["password"],
                    given_names=options["given_names"],
                    family_name=options["family_name"],
                    orcid=options["orcid"],
                )
            except identifiers.IdentifierError as error:
                raise CommandError(str(error)) from error
            except IntegrityError as error:
                raise CommandError(
                    "an account with this e-mail address or iD exists already"
                ) from error
            self.stdout.write(f"Created {account.orcid} for {account.email}")
        else:
            client_id = options["client_id"]
            if client_id and not client_path_is_valid(client_id):
                raise CommandError(
                    "--client-id must be APP- and 16 letters or digits, or an iD-shaped id"
                )
            client, secret = actions.do_register_client(
                name=options["name"],
                website=options["website"],
                redirect_uris=options["redirect_uri"],
                client_id=client_id,
                client_secret=options["client_secret"],
                allow_assertion_origin=options["assertion_origin"],
            )
            self.stdout.write(f"Client {client.client_id} secret {secret}")

    def issue_token(self, options: dict[str, Any]) -> None:
        """Print a new access token, as if the researcher had authorized the client."""
        try:
            orcid = identifiers.normalise(identifiers.Scheme.ORCID, options["orcid"])
        except identifiers.IdentifierError as error:
            raise CommandError(str(error)) from error
        account = Account.objects.filter(orcid=orcid).first()
        client = Client.objects.filter(client_id=options["client_id"]).first()
        if account is None or client is None:
            raise CommandError("no such record or client")
        unknown = set(options["scope"].split()) - set(Scope.values)
        if unknown or not options["scope"].split():
            raise CommandError(f"unknown scopes: {' '.join(sorted(unknown)) or '(none given)'}")
        token = actions.do_issue_token(account, client, options["scope"])
        self.stdout.write(token.access_token)

    def deprecate(self, options: dict[str, Any]) -> None:
        found = []
        for name in ("orcid", "primary"):
            try:
                orcid = identifiers.normalise(identifiers.Scheme.ORCID, options[name])
            except identifiers.IdentifierError as error:
                raise CommandError(f"--{name}: {error}") from error
            account = Account.objects.filter(orcid=orcid).first()
            if account is None:
                raise CommandError(f"--{name}: no record {orcid}")
            found.append(account)
        try:
            actions.do_deprecate_account(found[0], primary=found[1])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{found[0].orcid} is deprecated; its primary record is {found[1].orcid}")
