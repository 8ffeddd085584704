"""Fixtures of the disclosure and portal tests (imported by test_disclosure_* and test_portal_*)."""

from dataclasses import dataclass
from datetime import date

import pytest
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.disclosure import services
from gongkai.web.disclosure.models import Article20Item, DisclosureRole, Genre, Publication

Role = Membership.Role


@dataclass
class Desk:
    agency: Agency
    other_agency: Agency
    writer: object
    reviewer: object
    secrecy: object
    signer: object
    outsider: object  # a signer of the other agency
    commit: object  # django_capture_on_commit_callbacks

    def draft(self, title="关于做好城乡低保工作的通知", *, agency=None, user=None, **fields):
        fields.setdefault("genre", Genre.NORMATIVE_DOCUMENT)
        fields.setdefault("article20_item", Article20Item.REGULATIONS)
        fields.setdefault("formed_on", date(2024, 9, 2))
        fields.setdefault("body", "为做好最低生活保障（低保）工作，现通知如下。对决定不服的，可以申请行政复议。")
        with self.commit(execute=True):
            return services.publication_create(agency=agency or self.agency, acting_user=user or self.writer,
                                               title=title, **fields)

    def to_signing(self, publication: Publication) -> Publication:
        with self.commit(execute=True):
            publication = services.publication_submit(publication=publication, acting_user=self.writer)
            publication = services.publication_approve(publication=publication, acting_user=self.reviewer,
                                                       comment="同意")
            return services.publication_clear(publication=publication, acting_user=self.secrecy, comment="不涉密")

    def publish(self, publication: Publication, publish_at=None) -> Publication:
        publication = self.to_signing(publication)
        with self.commit(execute=True):
            return services.publication_publish(publication=publication, acting_user=self.signer,
                                                comment="签发", publish_at=publish_at)

    def correct(self, publication: Publication, comment="内容有误", **changes) -> Publication:
        """更正 as the 承办 writes it, reviewed, cleared and signed by the others; the corrected item."""
        with self.commit(execute=True):
            revision = services.publication_correct(publication=publication, acting_user=self.writer,
                                                    comment=comment, **changes)
            revision = services.publication_approve(publication=revision, acting_user=self.reviewer)
            revision = services.publication_clear(publication=revision, acting_user=self.secrecy)
            return services.publication_publish(publication=revision, acting_user=self.signer)

    def withdraw(self, publication: Publication, reason="内容有误") -> Publication:
        with self.commit(execute=True):
            return services.publication_withdraw(publication=publication, acting_user=self.signer, comment=reason)


@pytest.fixture
def desk(db, settings, tmp_path, django_capture_on_commit_callbacks) -> Desk:
    settings.GONGKAI_SEARCH_SQLITE = str(tmp_path / "search.sqlite3")
    agency = AgencyFactory(full_name="测试区民政局", short_name="测民", kind=Agency.Kind.DEPARTMENT)
    other = AgencyFactory(full_name="测试区财政局", short_name="测财", kind=Agency.Kind.DEPARTMENT)
    writer = MembershipFactory(user=UserFactory(username="d_writer"), agency=agency, role=Role.HANDLER).user
    reviewer = MembershipFactory(user=UserFactory(username="d_reviewer"), agency=agency, role=Role.REVIEWER).user
    secrecy = UserFactory(username="d_secrecy")
    DisclosureRole.objects.create(user=secrecy, agency=agency, role=DisclosureRole.Role.SECRECY_REVIEWER)
    signer = MembershipFactory(user=UserFactory(username="d_signer"), agency=agency, role=Role.SIGNER).user
    outsider = MembershipFactory(user=UserFactory(username="d_outsider"), agency=other, role=Role.SIGNER).user
    MembershipFactory(user=outsider, agency=other, role=Role.HANDLER)
    # The desk's team works for the other agency too, so tests can publish there; the outsider cannot act here.
    for user, role in ((writer, Role.HANDLER), (reviewer, Role.REVIEWER), (signer, Role.SIGNER)):
        MembershipFactory(user=user, agency=other, role=role)
    DisclosureRole.objects.create(user=secrecy, agency=other, role=DisclosureRole.Role.SECRECY_REVIEWER)
    return Desk(agency, other, writer, reviewer, secrecy, signer, outsider, django_capture_on_commit_callbacks)
