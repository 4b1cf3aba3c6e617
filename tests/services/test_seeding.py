"""The seeds: what they record from the session document, as loaded into the seeded database."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import func, select

from registry.extensions import db
from registry.models import (
    GcmObjective,
    GcmPrinciple,
    LocalGovernment,
    Network,
    Person,
    Practice,
    Question,
    Revision,
    Right,
    SdgTarget,
    Session,
)
from tests.conftest import REPO

SOURCE = REPO.parent / "shared" / "sources" / "session-droits-humains-des-migrants.fr.md"
SESSION = "droits-humains-des-migrants"

# The seven questions exactly as the concept note words them (checked against the note itself
# by test_questions_match_the_source_document whenever shared/ sits beside the repository).
QUESTIONS_FR = [
    "Comment développer une approche de la gouvernance des migrations fondée sur les droits ?",
    "Les violations des droits humains en tant que cause des migrations - comment les vulnérabilités et le "
    "manque de protection des droits entraînent accroissent la vulnérabilité ?",
    "Quelles pratiques peuvent garantir les droits des migrants et leur participation à l'environnement local - "
    "allant au-delà des politiques «sécuritaires» dominantes ?",
    "Comment les gouvernements locaux peuvent-ils mieux évaluer les besoins des migrants et créer un impact le "
    "plus positif possible avec les ressources disponibles?",
    "Comment prendre en compte la spécificité des mineurs et des femmes migrantes et protéger les migrants les "
    "plus vulnérables?",
    "Comment établir des réseaux d'entraide et de solidarité pour réaliser une garantie universelle des droits "
    "humains entre les villes de départ et d'accueil? Quel rôle pour les réseaux de villes?",
    "Comment les autorités locales peuvent-elles présenter l'utilisation de ces ressources comme non seulement "
    "utiles mais bénéfiques pour la communauté en général?",
]

LOCAL_GOVERNMENTS = {
    "upala": ("CR", "municipality"),
    "pikine": ("SN", "municipality"),
    "gaborone": ("BW", "municipality"),
    "madrid": ("ES", "municipality"),
    "pichincha": ("EC", "province"),
    "quetzaltenango": ("GT", "municipality"),
    "sao-paulo": ("BR", "municipality"),
}
SPEAKING = ["upala", "pikine", "gaborone", "madrid", "pichincha", "quetzaltenango"]


# --- seeded facts -------------------------------------------------------------------------

def test_questions_match_the_source_document() -> None:
    if not SOURCE.exists():  # the repository alone: QUESTIONS_FR is the reference
        assert len(QUESTIONS_FR) == 7
        return
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "questions suivantes" in line)
    bullets = [line[2:].strip() for line in lines[start:] if line.startswith("- ")][:7]
    assert bullets == QUESTIONS_FR


def test_session_as_the_document_gives_it(seeded_app) -> None:
    with seeded_app.app_context():
        session = db.session.scalar(select(Session).where(Session.slug == SESSION))
        assert session.title["fr"] == "Droits humains des migrants"
        assert session.original_language == "fr"
        assert session.date == date(2017, 11, 16)
        assert (session.start_time, session.end_time) == (time(15, 0), time(16, 30))
        assert "inferred" in session.provenance and "jeudi 16 novembre" in session.provenance


def test_seven_questions_in_order_with_their_french_text(seeded_app) -> None:
    with seeded_app.app_context():
        questions = db.session.scalars(select(Question).order_by(Question.number)).all()
        assert [q.number for q in questions] == [1, 2, 3, 4, 5, 6, 7]
        assert [q.slug for q in questions] == [f"{SESSION}-q{n}" for n in range(1, 8)]
        assert [q.text["fr"] for q in questions] == QUESTIONS_FR
        for question in questions:
            assert question.original_language == "fr"
            assert {"en", "es", "pt"} <= set(question.text)
            assert question.session.slug == SESSION


def test_seven_local_governments_with_their_countries(seeded_app) -> None:
    with seeded_app.app_context():
        found = {
            lg.slug: (lg.country, lg.kind)
            for lg in db.session.scalars(select(LocalGovernment))
        }
        assert found == LOCAL_GOVERNMENTS
        sao_paulo = db.session.scalar(select(LocalGovernment).where(LocalGovernment.slug == "sao-paulo"))
        assert sao_paulo.name["pt"] == "São Paulo"
        assert (sao_paulo.m49_region, sao_paulo.m49_sub_region) == ("019", "419")
        madrid = db.session.scalar(select(LocalGovernment).where(LocalGovernment.slug == "madrid"))
        assert (madrid.m49_region, madrid.m49_sub_region) == ("150", "039")
        assert 40 < madrid.latitude < 41 and -4 < madrid.longitude < -3


def test_speakers_and_moderators(seeded_app) -> None:
    with seeded_app.app_context():
        session = db.session.scalar(select(Session).where(Session.slug == SESSION))
        by_role: dict[str, list[tuple[str | None, str | None]]] = {"speaker": [], "moderator": []}
        for participant in session.participants:
            person = participant.person
            place = person.local_government.slug if person.local_government else person.network.slug
            by_role[participant.role].append((person.name, place))
        assert by_role["speaker"] == [
            (None, "upala"),
            ("Abdoulaye Thimbo", "pikine"),
            (None, "gaborone"),
            ("Berta Cao Menéndez", "madrid"),
            ("Gustavo Baroja", "pichincha"),
            (None, "quetzaltenango"),
        ]
        assert by_role["moderator"] == [("Mme. Arruda", "sao-paulo"), ("Magali Fricaudet", "uclg-cisdp")]
        madrid = db.session.scalar(select(Person).where(Person.slug == "berta-cao-menendez"))
        assert madrid.role["fr"] == "Assesseure pour la migration et les réfugiées, Mairie de Madrid"


def test_networks(seeded_app) -> None:
    with seeded_app.app_context():
        cisdp = db.session.scalar(select(Network).where(Network.slug == "uclg-cisdp"))
        assert cisdp.acronym == "UCLG-CISDP"
        assert cisdp.parent.slug == "uclg"


def test_the_five_rights_named_in_the_session(seeded_app) -> None:
    with seeded_app.app_context():
        named = db.session.scalars(select(Right.slug).where(Right.named_in_session.is_(True))).all()
        assert sorted(named) == sorted(
            ["freedom-of-expression-and-assembly", "food", "housing", "security", "non-discrimination"]
        )
        total = db.session.scalar(select(func.count()).select_from(Right))
        assert total > 5
        housing = db.session.scalar(select(Right).where(Right.slug == "housing"))
        assert "ICESCR art. 11" in housing.instruments


def test_reference_lists(seeded_app) -> None:
    with seeded_app.app_context():
        numbers = db.session.scalars(select(GcmObjective.number).order_by(GcmObjective.number)).all()
        assert numbers == list(range(1, 24))
        principles = db.session.scalars(select(GcmPrinciple.number).order_by(GcmPrinciple.number)).all()
        assert principles == list(range(1, 11))
        codes = set(db.session.scalars(select(SdgTarget.code)))
        assert {"10.7", "10.c", "8.7", "8.8", "5.2", "16.2", "16.9", "17.18"} <= codes


def test_one_draft_stub_practice_per_speaking_local_government(seeded_app) -> None:
    """The note names who spoke, not what they said: each contribution is a stub, kept from the public."""
    with seeded_app.app_context():
        practices = db.session.scalars(select(Practice)).all()
        assert sorted(p.lead_local_government.slug for p in practices) == sorted(SPEAKING)
        for practice in practices:
            assert practice.status == "draft"
            assert practice.published_at is None
            assert practice.documentation == "stub"
            assert practice.session.slug == SESSION
            assert practice.description is None and practice.outcomes is None
            assert practice.rights == [] and practice.questions == []
            assert [s.kind for s in practice.sources] == ["concept_note"]


def test_every_seeded_record_has_its_creation_revision(seeded_app) -> None:
    with seeded_app.app_context():
        revisions = db.session.scalars(select(Revision)).all()
        assert {r.action for r in revisions} == {"create"}
        assert {r.actor for r in revisions} == {"seed"}
        practices = {r.entity_slug for r in revisions if r.entity_type == "practice"}
        assert practices == {f"{slug}-{SESSION}" for slug in SPEAKING}
