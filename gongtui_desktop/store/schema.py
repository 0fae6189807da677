"""Schema of the election file and its ordered chain of migrations.

``PRAGMA user_version`` is the schema version: version N is reached by applying
``MIGRATIONS[0:N]`` in order. A migration is appended, never edited, once a
release has written files with it; each one that changes the shape of audited
rows also says how to replay older audit entries (``upgrade_row``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# "GTXP" — marks an SQLite file as an election file of this program.
APPLICATION_ID = 0x47545850

_BOOL = "INTEGER NOT NULL CHECK ({col} IN (0, 1))"
_DATE = "TEXT CHECK ({col} IS NULL OR {col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')"
_FRACTION = "TEXT NOT NULL CHECK ({col} GLOB '[0-9]*' AND {col} NOT GLOB '*[^0-9/]*')"


def _b(col: str, default: int) -> str:
    return f"{col} {_BOOL.format(col=col)} DEFAULT {default}"


def _d(col: str) -> str:
    return f"{col} {_DATE.format(col=col)}"


def _f(col: str, default: str) -> str:
    return f"{col} {_FRACTION.format(col=col)} DEFAULT '{default}'"


_POSITION = "('committee', 'secretary', 'deputy_secretary')"
_NONEMPTY = "CHECK (length(trim({col})) > 0)"

SCHEMA_V1 = f"""
CREATE TABLE election (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    title TEXT NOT NULL {_NONEMPTY.format(col="title")},
    organization TEXT NOT NULL {_NONEMPTY.format(col="organization")},
    higher_organization TEXT NOT NULL DEFAULT '',
    {_d("reference_date")},
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE plan (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    quorum TEXT NOT NULL DEFAULT 'more_than_four_fifths'
        CHECK (quorum IN ('more_than_four_fifths', 'at_least_four_fifths')),
    writein_without_mark TEXT NOT NULL DEFAULT 'ignore'
        CHECK (writein_without_mark IN ('ignore', 'count_as_for')),
    {_b("tie_break_requires_majority", 0)},
    nomination_method TEXT NOT NULL DEFAULT 'vote_sum'
        CHECK (nomination_method IN ('vote_sum', 'weighted_rate')),
    {_f("weight_member", "0")},
    {_f("weight_mass", "0")},
    {_f("weight_organization", "0")},
    {_f("weight_self", "0")},
    {_f("nomination_ratio", "2/5")},
    {_b("require_full_member", 1)},
    {_b("require_full_rights", 1)},
    min_party_years INTEGER DEFAULT 2 CHECK (min_party_years IS NULL OR min_party_years >= 0),
    max_age INTEGER CHECK (max_age IS NULL OR max_age > 0),
    {_b("require_local_relation", 1)},
    {_b("has_evaluation", 1)},
    {_f("evaluation_threshold", "1/2")},
    evaluation_threshold_rule TEXT NOT NULL DEFAULT 'more_than'
        CHECK (evaluation_threshold_rule IN ('more_than', 'at_least')),
    {_b("evaluation_veto", 1)},
    evaluation_labels TEXT NOT NULL DEFAULT '优,良,中,差',
    evaluation_points TEXT NOT NULL DEFAULT '100,80,60,0',
    evaluation_weights TEXT NOT NULL DEFAULT '1,1,1,1,1',
    {_f("evaluation_ratio", "1/5")},
    {_b("require_participation", 0)}
) STRICT;

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL {_NONEMPTY.format(col="name")},
    gender TEXT CHECK (gender IS NULL OR gender IN ('男', '女')),
    {_d("birth")},
    {_d("joined")},
    {_d("confirmed")},
    status TEXT NOT NULL CHECK (status IN ('full', 'probationary', 'non_member')),
    discipline TEXT NOT NULL DEFAULT 'none' CHECK (discipline IN ('none', 'probation', 'detained')),
    employment TEXT NOT NULL DEFAULT 'working' CHECK (employment IN ('working', 'retired')),
    {_b("local_relation", 1)},
    contact TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    {_d("left_on")}
) STRICT;

CREATE TABLE stages (
    stage TEXT PRIMARY KEY CHECK (stage IN ('recommendation', 'evaluation', 'election')),
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    changed_at TEXT NOT NULL
) STRICT;

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL UNIQUE CHECK (kind IN ('recommendation', 'evaluation', 'election')),
    {_d("held_on")},
    place TEXT NOT NULL DEFAULT '',
    chair TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'leave')),
    PRIMARY KEY (meeting_id, person_id)
) STRICT;

CREATE TABLE exclusions (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    reason TEXT NOT NULL CHECK (reason IN
        ('illness', 'abroad', 'sentence', 'bedridden', 'away', 'retired_far')),
    consent TEXT NOT NULL {_NONEMPTY.format(col="consent")},
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, person_id)
) STRICT;

CREATE TABLE scrutineers (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    role TEXT NOT NULL CHECK (role IN ('chief', 'scrutineer', 'counter')),
    PRIMARY KEY (meeting_id, person_id, role)
) STRICT;

CREATE TABLE form_counts (
    stage TEXT NOT NULL CHECK (stage IN ('recommendation', 'evaluation')),
    channel TEXT NOT NULL CHECK (channel IN ('member', 'mass')),
    issued INTEGER NOT NULL CHECK (issued >= 0),
    returned INTEGER NOT NULL CHECK (returned >= 0),
    PRIMARY KEY (stage, channel)
) STRICT;

CREATE TABLE recommendation_positions (
    position TEXT PRIMARY KEY CHECK (position IN {_POSITION}),
    seats INTEGER NOT NULL CHECK (seats >= 1),
    settings TEXT CHECK (settings IS NULL OR json_valid(settings))
) STRICT;

CREATE TABLE recommendation_forms (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('member', 'mass')),
    entry_no INTEGER NOT NULL CHECK (entry_no >= 1),
    supersedes INTEGER UNIQUE REFERENCES recommendation_forms(id),
    operator TEXT NOT NULL,
    entered_at TEXT NOT NULL
) STRICT;

CREATE TABLE recommendation_names (
    form_id INTEGER NOT NULL REFERENCES recommendation_forms(id),
    position TEXT NOT NULL CHECK (position IN {_POSITION}),
    ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
    person_id INTEGER REFERENCES people(id),
    name TEXT NOT NULL {_NONEMPTY.format(col="name")},
    PRIMARY KEY (form_id, position, ordinal)
) STRICT;

CREATE TABLE recommendation_form_withdrawals (
    form_id INTEGER PRIMARY KEY REFERENCES recommendation_forms(id),
    reason TEXT NOT NULL,
    operator TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;

CREATE TABLE recommendation_totals (
    position TEXT NOT NULL CHECK (position IN {_POSITION}),
    person_id INTEGER NOT NULL REFERENCES people(id),
    channel TEXT NOT NULL CHECK (channel IN ('member', 'mass')),
    votes INTEGER NOT NULL CHECK (votes >= 0),
    PRIMARY KEY (position, person_id, channel)
) STRICT;

CREATE TABLE recommendation_nominations (
    position TEXT NOT NULL CHECK (position IN {_POSITION}),
    person_id INTEGER NOT NULL REFERENCES people(id),
    channel TEXT NOT NULL CHECK (channel IN ('organization', 'self')),
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (position, person_id, channel)
) STRICT;

CREATE TABLE review_decisions (
    position TEXT NOT NULL CHECK (position IN {_POSITION}),
    person_id INTEGER NOT NULL REFERENCES people(id),
    decision TEXT NOT NULL CHECK (decision IN ('pass', 'fail')),
    note TEXT NOT NULL DEFAULT '',
    operator TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (position, person_id)
) STRICT;

CREATE TABLE publicity (
    stage TEXT PRIMARY KEY CHECK (stage IN ('recommendation', 'evaluation', 'election')),
    {_d("starts_on")},
    {_d("ends_on")},
    note TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE evaluation_candidates (
    person_id INTEGER PRIMARY KEY REFERENCES people(id),
    ordinal INTEGER NOT NULL UNIQUE CHECK (ordinal >= 1)
) STRICT;

CREATE TABLE evaluation_forms (
    id INTEGER PRIMARY KEY,
    rater_group TEXT NOT NULL CHECK (rater_group IN ('member', 'non_member')),
    entry_no INTEGER NOT NULL CHECK (entry_no >= 1),
    supersedes INTEGER UNIQUE REFERENCES evaluation_forms(id),
    operator TEXT NOT NULL,
    entered_at TEXT NOT NULL
) STRICT;

CREATE TABLE evaluation_grades (
    form_id INTEGER NOT NULL REFERENCES evaluation_forms(id),
    person_id INTEGER NOT NULL REFERENCES evaluation_candidates(person_id),
    grades TEXT NOT NULL CHECK (length(grades) = 5 AND grades NOT GLOB '*[^EGFP-]*'),
    overall TEXT CHECK (overall IS NULL OR overall IN ('satisfied', 'basically', 'unsatisfied')),
    PRIMARY KEY (form_id, person_id)
) STRICT;

CREATE TABLE evaluation_form_withdrawals (
    form_id INTEGER PRIMARY KEY REFERENCES evaluation_forms(id),
    reason TEXT NOT NULL,
    operator TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;

CREATE TABLE contests (
    id INTEGER PRIMARY KEY,
    ordinal INTEGER NOT NULL UNIQUE CHECK (ordinal >= 1),
    position TEXT NOT NULL CHECK (position IN {_POSITION}),
    title TEXT NOT NULL DEFAULT '',
    seats INTEGER NOT NULL CHECK (seats >= 1),
    {_b("equal_approved", 0)},
    restricted_to INTEGER REFERENCES contests(id)
) STRICT;

CREATE TABLE contest_candidates (
    contest_id INTEGER NOT NULL REFERENCES contests(id),
    ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
    person_id INTEGER REFERENCES people(id),
    name TEXT NOT NULL {_NONEMPTY.format(col="name")},
    PRIMARY KEY (contest_id, ordinal),
    UNIQUE (contest_id, name)
) STRICT;

CREATE TABLE seat_reductions (
    contest_id INTEGER PRIMARY KEY REFERENCES contests(id),
    seats INTEGER NOT NULL CHECK (seats >= 1),
    after_round INTEGER NOT NULL CHECK (after_round >= 1),
    decision TEXT NOT NULL {_NONEMPTY.format(col="decision")},
    operator TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;

CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contests(id),
    number INTEGER NOT NULL CHECK (number >= 1),
    kind TEXT NOT NULL CHECK (kind IN ('regular', 'tie_break', 'by_election')),
    seats INTEGER NOT NULL CHECK (seats >= 1),
    present_voters INTEGER NOT NULL CHECK (present_voters >= 0),
    papers_issued INTEGER NOT NULL CHECK (papers_issued >= 0),
    papers_collected INTEGER CHECK (papers_collected IS NULL OR papers_collected >= 0),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'confirmed')),
    opened_at TEXT NOT NULL,
    {_b("double_entry", 0)},
    UNIQUE (contest_id, number)
) STRICT;

CREATE TABLE round_candidates (
    round_id INTEGER NOT NULL REFERENCES rounds(id),
    ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
    person_id INTEGER REFERENCES people(id),
    name TEXT NOT NULL {_NONEMPTY.format(col="name")},
    PRIMARY KEY (round_id, ordinal),
    UNIQUE (round_id, name)
) STRICT;

CREATE TABLE papers (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds(id),
    entry_no INTEGER NOT NULL CHECK (entry_no >= 1),
    marks TEXT NOT NULL CHECK (marks NOT GLOB '*[^OX-]*'),
    void_reason TEXT CHECK (void_reason IS NULL OR length(trim(void_reason)) > 0),
    supersedes INTEGER UNIQUE REFERENCES papers(id),
    operator TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    entry_pass INTEGER NOT NULL DEFAULT 1 CHECK (entry_pass IN (0, 1, 2)),
    box TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX papers_by_round ON papers (round_id, entry_no);

CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds(id),
    box TEXT NOT NULL {_NONEMPTY.format(col="box")},
    station TEXT NOT NULL,
    digest TEXT NOT NULL UNIQUE CHECK (length(digest) = 64),
    papers_issued INTEGER NOT NULL CHECK (papers_issued >= 0),
    papers_collected INTEGER NOT NULL CHECK (papers_collected >= 0),
    papers INTEGER NOT NULL CHECK (papers >= 0),
    imported_at TEXT NOT NULL,
    UNIQUE (round_id, box)
) STRICT;

CREATE TABLE paper_write_ins (
    paper_id INTEGER NOT NULL REFERENCES papers(id),
    ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
    name TEXT NOT NULL {_NONEMPTY.format(col="name")},
    {_b("marked", 1)},
    person_id INTEGER REFERENCES people(id),
    PRIMARY KEY (paper_id, ordinal)
) STRICT;

CREATE TABLE paper_withdrawals (
    paper_id INTEGER PRIMARY KEY REFERENCES papers(id),
    reason TEXT NOT NULL,
    operator TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;

CREATE TABLE round_results (
    round_id INTEGER PRIMARY KEY REFERENCES rounds(id),
    figures TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    confirmed_by TEXT,
    confirmed_at TEXT
) STRICT;

CREATE TABLE backups (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    stage TEXT NOT NULL,
    chain_hash TEXT NOT NULL CHECK (length(chain_hash) = 64),
    taken_at TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY CHECK (seq >= 1),
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    action TEXT NOT NULL,
    changes TEXT NOT NULL,
    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
) STRICT;

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能删除'); END;
CREATE TRIGGER papers_never_updated BEFORE UPDATE ON papers
BEGIN SELECT RAISE(ABORT, '已录入的选票不能修改，只能更正为新记录'); END;
CREATE TRIGGER papers_never_deleted BEFORE DELETE ON papers
BEGIN SELECT RAISE(ABORT, '已录入的选票不能删除'); END;
CREATE TRIGGER write_ins_never_updated BEFORE UPDATE ON paper_write_ins
BEGIN SELECT RAISE(ABORT, '已录入的选票不能修改'); END;
CREATE TRIGGER write_ins_never_deleted BEFORE DELETE ON paper_write_ins
BEGIN SELECT RAISE(ABORT, '已录入的选票不能删除'); END;
"""

# Scanned ballots (issue #11). The images themselves are content-addressed blobs outside
# the audit replay (JSON cannot hold them): each page's audited row names its image by
# SHA-256, and verify checks every blob against its name.
SCHEMA_V2 = f"""
CREATE TABLE scan_images (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    media_type TEXT NOT NULL,
    data BLOB NOT NULL
) STRICT;

CREATE TABLE scan_pages (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds(id),
    image TEXT NOT NULL REFERENCES scan_images(sha256),
    source TEXT NOT NULL {_NONEMPTY.format(col="source")},
    reading TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('counted', 'pending', 'rejected')),
    paper_id INTEGER UNIQUE REFERENCES papers(id),
    decision TEXT,
    decided_by TEXT,
    decided_at TEXT,
    operator TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    -- counted: the paper it stands for (the live one, corrections followed); pending: none
    -- yet; rejected: none, or the paper taken back when the page was set aside.
    CHECK (status != 'counted' OR paper_id IS NOT NULL),
    CHECK (status != 'pending' OR paper_id IS NULL),
    UNIQUE (round_id, image)
) STRICT;
CREATE INDEX scan_pages_by_round ON scan_pages (round_id, status);

CREATE TRIGGER scan_images_never_updated BEFORE UPDATE ON scan_images
BEGIN SELECT RAISE(ABORT, '扫描图像不能修改'); END;
CREATE TRIGGER scan_images_never_deleted BEFORE DELETE ON scan_images
BEGIN SELECT RAISE(ABORT, '扫描图像不能删除'); END;
"""

# Ballot boxes as identities, not names: the main station records each box copy it issues
# (a random id and the copy's starting chain hash); the copy records which box it is; an
# imported batch names its box by id, once per round. A box's name is only its label.
SCHEMA_V3 = f"""
CREATE TABLE boxes (
    id TEXT PRIMARY KEY CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'),
    number INTEGER NOT NULL UNIQUE CHECK (number >= 1),
    name TEXT NOT NULL UNIQUE {_NONEMPTY.format(col="name")},
    start_hash TEXT NOT NULL UNIQUE CHECK (length(start_hash) = 64),
    copy_name TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at TEXT NOT NULL
) STRICT;

CREATE TABLE box_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    box_id TEXT NOT NULL CHECK (length(box_id) = 32),
    number INTEGER NOT NULL CHECK (number >= 1),
    name TEXT NOT NULL {_NONEMPTY.format(col="name")},
    main_hash TEXT NOT NULL CHECK (length(main_hash) = 64),
    -- papers up to this id were in the file when it was copied: never the box's own
    papers_before INTEGER NOT NULL CHECK (papers_before >= 0),
    marked_at TEXT NOT NULL
) STRICT;

ALTER TABLE batches ADD COLUMN box_id TEXT REFERENCES boxes(id);
ALTER TABLE batches ADD COLUMN box_hash TEXT CHECK (box_hash IS NULL OR length(box_hash) = 64);
CREATE UNIQUE INDEX batches_one_per_box ON batches (round_id, box_id);
"""

# What the 会议记录 of a meeting needs besides date, place and chair: who kept the record,
# who attended for the higher Party organisation, and when the meeting began and ended.
_CLOCK = "TEXT NOT NULL DEFAULT '' CHECK ({col} = '' OR {col} GLOB '[0-2][0-9]:[0-5][0-9]')"
SCHEMA_V4 = f"""
ALTER TABLE meetings ADD COLUMN recorder TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN delegate TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN starts_at {_CLOCK.format(col="starts_at")};
ALTER TABLE meetings ADD COLUMN ends_at {_CLOCK.format(col="ends_at")};
"""

MEETING_RECORD_FIELDS = ("recorder", "delegate", "starts_at", "ends_at")

Row = dict[str, object]
Tables = dict[str, dict[tuple[object, ...], Row]]


def _batches_gain_box_columns(tables: Tables) -> None:
    """Batches imported before boxes had an identity: no box id, no box chain hash."""
    for row in tables.get("batches", {}).values():
        row.setdefault("box_id", None)
        row.setdefault("box_hash", None)


def _meetings_gain_record_columns(tables: Tables) -> None:
    """Meetings written before version 4: no recorder, delegate or times yet."""
    for row in tables.get("meetings", {}).values():
        for column in MEETING_RECORD_FIELDS:
            row.setdefault(column, "")


@dataclass(frozen=True)
class Migration:
    """One step of the chain: the SQL that reaches ``version``, and how to replay older entries."""

    version: int
    sql: str
    description: str
    upgrade_rows: Callable[[Tables], None] | None = None


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, SCHEMA_V1, "初始格式"),
    Migration(2, SCHEMA_V2, "扫描选票"),
    Migration(3, SCHEMA_V3, "票箱登记", _batches_gain_box_columns),
    Migration(4, SCHEMA_V4, "会议记录人、列席人员和起止时间", _meetings_gain_record_columns),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
