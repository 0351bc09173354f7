"""Generate realistic training scenarios of any size for scaling studies.

``generate_scenario(crews, days, seed, start)`` builds K crews of three (a
commander who arrives qualified and two spaceflight participants, one of them
the crew's "doctor") on the module catalogue of the domain fact sheet (section
7.2, the same modules, hours and resources as ``scenarios/challenge-2021.yaml``).
All crews share the facilities and the instructor pools. With the default
staffing (``"full"``) each pool has one Soyuz, one RS instructor and one flight
surgeon per crew, the ratio of the fact sheet (M02: one Soyuz instructor per
crew [E]) and of the two MS-19 crews in ``challenge-2021.yaml``; ``"lean"``
gives ceil(K/2) per pool, half that ratio (a stress case: one Soyuz instructor
then teaches two crews' theory at about 93 % of his open days). Gates are
placed relative to launch as for Soyuz MS-19 (medical L-35, exams L-27 for two
days, MVK L-19, pre-launch block from L-17). A seeded ``random.Random`` varies
the details (leave days, one facility outage, parabolic campaign dates), so
different seeds differ and the same arguments give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from planner.scenario.holidays import official_workdays, public_holidays

DEFAULT_START = dt.date(2021, 5, 24)  # MS-19 training start [S]
COMPETENCIES = ["fire", "depress", "toxic", "descent", "egress", "water", "zero_g"]

# Gates relative to launch, as for MS-19 [S]: (id, name, days before launch, days, until launch).
_GATES: list[tuple[str, str, int, int, bool]] = [
    ("medical_commission", "State medical commission", 35, 1, False),
    ("exams", "Final complex exams (Soyuz and RS simulators)", 27, 2, False),
    ("mvk", "Interdepartmental Commission admits the crews", 19, 1, False),
    ("prelaunch", "Pre-launch block at the launch site", 17, 1, True),
]
_EXAM_DAYS_BEFORE_LAUNCH = 27
SFP_ROLES = ["sfp", "sfp_doctor"]
STAFFING = ("full", "lean")  # instructors per qualification: K, or ceil(K/2)

# The module catalogue of domain-facts section 7.2 (M02-M15); [E] hours as in challenge-2021.yaml.
_MODULES: list[dict[str, Any]] = [
    {"id": "soyuz_systems", "name": "Soyuz MS systems theory", "hours": 60, "session_hours": 4,
     "roles": SFP_ROLES, "resources": ["classroom"], "instructor": "soyuz"},
    {"id": "rs_systems", "name": "ISS Russian Segment systems and life aboard", "hours": 40, "session_hours": 4,
     "roles": SFP_ROLES, "resources": ["classroom"], "instructor": "rs"},
    {"id": "emergency_theory", "name": "Emergency procedures theory", "hours": 16, "session_hours": 4,
     "roles": SFP_ROLES, "resources": ["classroom"], "instructor": "emergency",
     "prerequisites": ["soyuz_systems", "rs_systems"]},
    {"id": "suit_fit", "name": "Sokol KV-2 fitting and Kazbek liner casting", "hours": 16, "session_hours": 8,
     "roles": SFP_ROLES, "resources": ["zvezda"], "consecutive_days": True},
    {"id": "sokol_donning", "name": "Sokol donning, leak check, suit-to-seat interfaces", "hours": 8,
     "session_hours": 2, "roles": SFP_ROLES, "resources": ["suit_room"], "instructor": "soyuz",
     "prerequisites": [{"module": "suit_fit", "min_lag_days": 14}]},
    {"id": "centrifuge", "name": "Centrifuge familiarisation (4 g nominal, 8 g ballistic)", "hours": 3,
     "session_hours": 1, "roles": SFP_ROLES, "resources": ["centrifuge"], "instructor": "flight_surgeon",
     "prerequisites": ["suit_fit"], "min_days_between_sessions": 1},
    {"id": "vestibular", "name": "Vestibular training (rotating chair)", "hours": 5, "session_hours": 0.5,
     "roles": SFP_ROLES, "resources": ["vestibular_lab"], "min_days_between_sessions": 1},
    {"id": "parabolic", "name": "Parabolic flights on the Il-76MDK", "hours": 6, "session_hours": 3,
     "roles": SFP_ROLES, "resources": ["il76"], "instructor": "flight_surgeon", "prerequisites": ["vestibular"],
     "min_days_between_sessions": 1},
    {"id": "soyuz_sim_nominal", "name": "Soyuz simulator, nominal (suited, whole crew)", "hours": 24,
     "session_hours": 4, "joint": "crew", "resources": ["soyuz_sim"], "instructor": "soyuz",
     "prerequisites": ["soyuz_systems", "sokol_donning"]},
    {"id": "soyuz_sim_emergency", "name": "Soyuz simulator, emergencies", "hours": 16, "session_hours": 4,
     "joint": "crew", "resources": ["soyuz_sim"], "instructor": "emergency",
     "prerequisites": ["soyuz_sim_nominal", "emergency_theory"], "recency_days": 60},
    {"id": "rs_sim_emergency", "name": "RS simulator emergency drills", "hours": 16, "session_hours": 4,
     "joint": "crew", "resources": ["rs_sim"], "instructor": "emergency",
     "prerequisites": ["rs_systems", "emergency_theory"], "recency_days": 60},
    {"id": "medical_response", "name": "Medical first response, BLS and microgravity CPR", "hours": 12,
     "session_hours": 4, "roles": ["sfp_doctor"], "resources": ["medical_lab"], "instructor": "medical",
     "recency_days": 90},
    {"id": "water_survival", "name": "Water survival (dry, long, short) and egress", "hours": 24,
     "session_hours": 8, "joint": "crew", "resources": ["water_site"], "instructor": "survival",
     "prerequisites": ["sokol_donning"], "consecutive_days": True},
    {"id": "winter_survival", "name": "Winter forest survival (48 h)", "hours": 16, "session_hours": 8,
     "joint": "crew", "roles": ["sfp", "sfp_doctor", "commander"], "resources": ["winter_site"],
     "instructor": "survival", "consecutive_days": True, "rest_days_after": 1},
]

_COMPETENCIES: list[dict[str, Any]] = [
    {"id": "fire", "name": "Fire response (Soyuz and ISS RS)",
     "requires": ["emergency_theory", "sokol_donning", "soyuz_sim_emergency", "rs_sim_emergency"]},
    {"id": "depress", "name": "Rapid depressurisation",
     "requires": ["emergency_theory", "sokol_donning", "soyuz_sim_emergency", "rs_sim_emergency"]},
    {"id": "toxic", "name": "Toxic atmosphere / ammonia", "requires": ["rs_systems", "emergency_theory", "rs_sim_emergency"]},
    {"id": "descent", "name": "Emergency / ballistic descent",
     "requires": ["soyuz_systems", "centrifuge", "soyuz_sim_nominal", "soyuz_sim_emergency"]},
    {"id": "egress", "name": "Emergency egress", "requires": ["sokol_donning", "water_survival", "rs_sim_emergency"]},
    {"id": "water", "name": "Post-splashdown survival", "requires": ["water_survival"]},
    {"id": "zero_g", "name": "Microgravity adaptation", "requires": ["vestibular", "parabolic"]},
    {"id": "medical", "name": "Medical emergency response (CPR in microgravity)",
     "requires": ["medical_response", "parabolic"]},
    # Not required of any role (as for MS-19): a summer window holds no Jan-Feb day.
    {"id": "cold", "name": "Cold-weather survival", "requires": ["winter_survival"]},
]

# Facilities that may suffer the seeded outage (the single-unit ones that bind).
_OUTAGE_CANDIDATES = ["centrifuge", "vestibular_lab", "soyuz_sim", "rs_sim", "suit_room", "medical_lab"]


def _season(first: str, last: str) -> dict[str, Any]:
    """A yearly season; quoted so that no YAML reader takes MM-DD for anything but text."""
    return {"from": DoubleQuotedScalarString(first), "to": DoubleQuotedScalarString(last)}


def _in_winter(day: dt.date) -> bool:
    return (day.month == 1 and day.day >= 15) or day.month == 2


def _working_days(first: dt.date, last: dt.date, closed: set[dt.date]) -> list[dt.date]:
    """Mon-Fri days in ``[first, last]`` that are not public holidays."""
    out = []
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in closed:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def _leave(rng: random.Random, days: list[dt.date], length: int, reason: str) -> dict[str, Any]:
    """A leave of ``length`` calendar days starting on a random day of ``days``."""
    first = rng.choice(days)
    return {"from": first, "to": first + dt.timedelta(days=length - 1), "reason": reason}


def _campaign_dates(rng: random.Random, crews: int, train: list[dt.date]) -> list[dt.date]:
    """Parabolic campaign days: pairs of consecutive working days, enough seats for every SFP."""
    # 2 flights per SFP, 14 seats a flight [S]; one spare campaign so that leave and spacing leave room.
    campaigns = math.ceil(math.ceil(4 * crews / 14) / 2) + 1
    # Late enough for the vestibular course (10 sessions on distinct days) to come first.
    lo = min(max(10, len(train) // 3), len(train) - 2)
    pool = train[lo:-1]
    dates: set[dt.date] = set()
    for _ in range(campaigns):
        i = rng.randrange(len(pool))
        dates.add(pool[i])
        if i + 1 < len(pool):
            dates.add(pool[i + 1])
    return sorted(dates)


def _instructors(rng: random.Random, crews: int, train: list[dt.date], staffing: str) -> list[dict[str, Any]]:
    """Pools of K (full) or ceil(K/2) (lean) per qualification; some take a week or two of leave."""
    n = crews if staffing == "full" else math.ceil(crews / 2)
    pools: list[tuple[str, str, list[list[str]]]] = [
        # Every other Soyuz / RS instructor also teaches emergencies, as in challenge-2021.yaml.
        ("soyuz", "Soyuz systems instructor", [["soyuz", "emergency"] if i % 2 else ["soyuz"] for i in range(n)]),
        ("rs", "RS systems instructor", [["rs", "emergency"] if i % 2 == 0 else ["rs"] for i in range(n)]),
        ("medic", "Flight surgeon", [["medical", "flight_surgeon"] if i % 2 == 0 else ["flight_surgeon"]
                                     for i in range(n)]),
        ("brigade", "Survival test-training brigade", [["survival"] for _ in range(math.ceil(crews / 4))]),
    ]
    if n == 1:  # one Soyuz instructor must cover emergencies too, or nobody would
        pools[0][2][0] = ["soyuz", "emergency"]
    out = []
    for prefix, name, quals in pools:
        for i, q in enumerate(quals, start=1):
            ins: dict[str, Any] = {"id": f"{prefix}_{i}", "name": f"{name} {i}", "qualifications": q}
            if rng.random() < 0.3:
                ins["blackouts"] = [_leave(rng, train, rng.randint(5, 12), "leave")]
            out.append(ins)
    return out


def generate_scenario(
    crews: int, days: int, seed: int, start: dt.date = DEFAULT_START, staffing: str = "full"
) -> dict[str, Any]:
    """A scenario document (plain dict, YAML-ready) of ``crews`` crews and a ``days``-day window."""
    if crews < 1:
        raise ValueError("at least one crew is needed")
    if staffing not in STAFFING:
        raise ValueError(f"staffing must be one of {', '.join(STAFFING)}, not {staffing!r}")
    rng = random.Random(seed)
    launch = start + dt.timedelta(days=days)
    exams = launch - dt.timedelta(days=_EXAM_DAYS_BEFORE_LAUNCH)
    holidays = set(public_holidays("RU", None, range(start.year, launch.year + 1)))
    train = _working_days(start, exams - dt.timedelta(days=1), holidays)
    if len(train) < 12:
        raise ValueError(f"a {days}-day window leaves only {len(train)} working days before the exams (L-27)")
    # Winter survival only where training has a winter day (as for MS-19, a summer window has none [S]).
    winter = any(_in_winter(d) for d in train)

    participants: list[dict[str, Any]] = []
    for c in range(1, crews + 1):
        crew = f"crew{c:02d}"
        participants.append({"id": f"c{c:02d}_cmdr", "name": f"Commander {c}", "role": "commander", "crew": crew,
                             "holds": [*COMPETENCIES, "medical", *(["cold"] if winter else [])]})
        for k, role in enumerate(("sfp_doctor", "sfp"), start=1):
            p: dict[str, Any] = {"id": f"c{c:02d}_sfp{k}", "name": f"Participant {c}.{k}", "role": role,
                                 "crew": crew, "load": {"max_hours_per_day": 8, "max_hours_per_week": 32}}
            if rng.random() < 0.25:  # a few personal days (film shoots, family)
                p["blackouts"] = [_leave(rng, train, rng.randint(1, 3), "personal")]
            participants.append(p)

    sims = math.ceil(crews / 4)  # GCTC runs several Soyuz/RS simulators [E]
    resources: list[dict[str, Any]] = [
        {"id": "classroom", "name": "Classroom", "capacity": 12, "unit": "participants"},
        {"id": "zvezda", "name": "NPP Zvezda (Sokol fitting)", "capacity": 2, "unit": "participants"},
        {"id": "suit_room", "name": "Sokol suit room", "capacity": 2},
        {"id": "centrifuge", "name": "TsF-18 centrifuge (single cabin)", "capacity": 1},
        {"id": "vestibular_lab", "name": "Vestibular lab", "capacity": 1},
        {"id": "il76", "name": "Il-76MDK zero-g aircraft", "capacity": 14, "unit": "participants",
         "available_dates": _campaign_dates(rng, crews, train)},
        {"id": "soyuz_sim", "name": "Soyuz MS simulators", "capacity": sims},
        {"id": "rs_sim", "name": "ISS RS simulators", "capacity": sims},
        {"id": "medical_lab", "name": "Medical training room", "capacity": 4, "unit": "participants"},
        {"id": "water_site", "name": "Water survival centre", "capacity": 1,
         "available": [_season("06-01", "08-31")]},  # [S] June-August
    ]
    if not any(6 <= d.month <= 8 for d in train):
        # No summer day to train in: the indoor pool variant the fact sheet allows (domain-facts, seasonal infeasibility [E]), all
        # year, instead of a water course no crew could take.
        resources[-1] = {"id": "water_site", "name": "Hydrolab pool (indoor water-survival variant [E])",
                         "capacity": 1}
    if winter:
        resources.append({"id": "winter_site", "name": "Forest site", "capacity": 1,
                          "available": [_season("01-15", "02-28")]})
    down = rng.choice(_OUTAGE_CANDIDATES)
    hit = next(r for r in resources if r["id"] == down)
    hit["blackouts"] = [_leave(rng, train, rng.randint(2, 5), "maintenance")]

    return {
        "name": f"Generated: {crews} crew(s) of 3, {days}-day window from {start.isoformat()} (seed {seed})",
        "description": "Synthetic scenario for scaling studies, from the module catalogue of domain-facts 7.2.",
        "window": {"start": start, "launch": launch},
        "calendar": {"country": "RU", "workdays": ["mon", "tue", "wed", "thu", "fri"], "day_start": DoubleQuotedScalarString("09:00"),
                     "day_hours": 8, "slot_minutes": 30,
                     # The centre works Russia's official working Saturdays (a day off moved): said only when the
                     # window has one, so that the file does not warn of itself.
                     **({"official_workdays": True} if any(start <= d < launch for d in official_workdays(
                         "RU", None, range(start.year, launch.year + 1))) else {})},
        "gates": [
            {"id": gid, "name": name, "before_launch_days": before, "days": n, **({"until_launch": True} if until else {})}
            for gid, name, before, n, until in _GATES
        ],
        "roles": [
            {"id": "commander", "name": "Professional commander (arrives qualified)", "requires": COMPETENCIES},
            {"id": "sfp", "name": "Spaceflight participant", "requires": COMPETENCIES},
            {"id": "sfp_doctor", "name": "Spaceflight participant with medical duties",
             "requires": [*COMPETENCIES, "medical"]},
        ],
        "participants": participants,
        "resources": resources,
        "instructors": _instructors(rng, crews, train, staffing),
        "modules": [m for m in _MODULES if winter or m["id"] != "winter_survival"],
        "competencies": [{**c, "deadline": "exams"} for c in _COMPETENCIES if winter or c["id"] != "cold"],
        "spacing": [
            {"after": "parabolic", "forbid": "centrifuge", "hours": 24},
            {"after": "centrifuge", "forbid": "parabolic", "hours": 24},
        ],
        "disruptions": {"sick_day_rate": 0.02, "instructor_absence_rate": 0.02, "outage_rate": 0.004,
                        "outage_days": 3, "session_failure_rate": 0.03},
    }


def generate_yaml(
    crews: int, days: int, seed: int, start: dt.date = DEFAULT_START, staffing: str = "full"
) -> str:
    """The generated scenario as YAML text with a header naming the parameters."""
    doc = generate_scenario(crews, days, seed, start, staffing)
    yaml = YAML()  # round-trip dumper: keeps key order and honours quoted scalars
    yaml.default_flow_style = None  # leaf lists and maps inline: compact and readable
    yaml.representer.ignore_aliases = lambda *_: True  # shared lists written out, no &id anchors
    yaml.width = 120
    buf = io.StringIO()
    yaml.dump(doc, buf)
    header = (
        "# GENERATED by `planner generate "
        f"--crews {crews} --days {days} --seed {seed} --start {start.isoformat()} --staffing {staffing}`: "
        "do not edit by hand.\n"
        "# Module catalogue, hours and capacities: ../shared/docs/domain-facts.md section 7.2 (mostly\n"
        "# estimates [E], as in scenarios/challenge-2021.yaml); gates relative to launch as for MS-19 [S].\n"
        "# Leave days, the facility outage and the parabolic campaign dates are drawn from the seed.\n"
    )
    return header + buf.getvalue()
