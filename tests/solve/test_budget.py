"""Budget: shares, caps, children and parts, counted by a fake clock or in work units."""

from __future__ import annotations

import pytest

from planner.solve.budget import AFTER_SOLVE, CONFIRMS, HINT, PLAN_PHASE, SCREEN, Budget, Share


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_wall_share_is_capped_by_what_the_clock_leaves() -> None:
    """Tests wall shares: 10 s budget, 7 s gone: half (5 s) is cut to the 3 s left; a cap of 2 s wins."""
    clock = FakeClock()
    b = Budget(10, clock=clock)
    assert b.share(0.5) == 5.0
    clock.now += 7
    assert b.remaining() == pytest.approx(3.0)
    assert b.share(0.5) == pytest.approx(3.0)
    assert b.share(0.5, cap=2.0) == 2.0
    clock.now += 5  # past the limit: nothing left, the floor still applies
    assert b.remaining() == 0.0 and b.share(0.5) == 0.0 and b.share(0.5, floor=0.2) == 0.2


def test_deterministic_counting_ignores_the_clock() -> None:
    """Tests --deterministic: 10 units, take 2 + 3 charged, 5 left, however long the clock says it took."""
    clock = FakeClock()
    b = Budget(10, deterministic=True, clock=clock)
    assert b.take(0.2) == 2.0
    clock.now += 1000  # a very loaded machine
    assert b.take(0.3) == 3.0
    assert b.spent() == 5.0 and b.remaining() == 5.0
    # A share is a fraction of the whole, handed out as written (not of the rest).
    assert b.share(0.75) == 7.5
    assert b.rest() == 5.0 and b.rest(keep=1.0) == 4.0 and b.rest(cap=0.5) == 0.5


def test_outer_limit_of_a_deterministic_budget() -> None:
    """Tests the wall safety limit: 30 * 4 + 30 = 150 s for 4 units; a wall budget's is its own limit."""
    clock = FakeClock()
    b = Budget(4, deterministic=True, clock=clock)
    assert b.outer == 150.0
    clock.now += 149
    assert not b.out_of_time()
    clock.now += 2
    assert b.out_of_time()
    assert Budget(4, clock=clock).outer == 4.0


def test_child_charges_its_parent_as_it_is_used() -> None:
    """Tests children: a 6-unit child of 10 charging 1.5 leaves the parent 8.5; a wall child never
    exceeds what the parent has left (10 - 8 = 2 s)."""
    parent = Budget(10, deterministic=True, clock=FakeClock())
    child = parent.child(6)
    child.charge(1.5)
    assert (child.remaining(), parent.remaining()) == (4.5, 8.5)
    clock = FakeClock()
    wall = Budget(10, clock=clock)
    clock.now += 8
    assert wall.child(5).seconds == pytest.approx(2.0)


def test_part_is_charged_whole() -> None:
    """Tests parts: a 3-unit part is charged 3 at once even if its step uses 1 (the next step's limit
    must not depend on this one's work); in wall mode it is cut to what is left (10 - 9 = 1 s)."""
    b = Budget(10, deterministic=True, clock=FakeClock())
    part = b.part(3)
    part.charge(1)
    assert (part.remaining(), b.remaining()) == (2.0, 7.0)
    clock = FakeClock()
    wall = Budget(10, clock=clock)
    clock.now += 9
    assert wall.part(3).seconds == pytest.approx(1.0)


def test_named_shares() -> None:
    """Tests the named shares of a 60 s budget: hint min(3, 5 % = 3) = 3; screening min(10, 6) = 6;
    phase 2 half in wall mode, a quarter under --deterministic (15); confirmations: the whole;
    the reserve after the solve only in wall mode (12 s, none in work units)."""
    wall = Budget(60, clock=FakeClock())
    det = Budget(60, deterministic=True, clock=FakeClock())
    assert wall.share(HINT) == det.share(HINT) == 3.0
    assert wall.share(SCREEN) == det.share(SCREEN) == 6.0
    assert (wall.share(PLAN_PHASE), det.share(PLAN_PHASE)) == (30.0, 15.0)
    assert wall.share(CONFIRMS) == det.share(CONFIRMS) == 60.0
    assert (wall.share(AFTER_SOLVE), det.share(AFTER_SOLVE)) == (12.0, 0.0)
    # A share's own cap and an explicit one: the smaller wins; floors: the larger.
    assert det.share(Share(0.5, cap=20.0), cap=25.0) == 20.0
    assert det.share(Share(0.01, floor=1.0), floor=0.5) == 1.0
    assert Share(0.1, cap=10.0, floor=1.0).limit(5.0, True) == 1.0


def test_negative_budget_is_refused() -> None:
    """Tests that a negative budget is an error, not a silent zero."""
    with pytest.raises(ValueError):
        Budget(-1)


def test_after_the_solve() -> None:
    """Tests steps after the solve: in wall mode out of what the clock leaves (10 s budget, 9 s gone:
    a quarter share of 2.5 s is cut to 1 s); under --deterministic on top of the units handed out
    (all 10 charged: still 2.5 units, counted as used)."""
    share = Share(0.25)
    clock = FakeClock()
    wall = Budget(10, clock=clock)
    clock.now += 9
    assert wall.after(share).seconds == pytest.approx(1.0)
    det = Budget(10, deterministic=True, clock=FakeClock())
    det.take(1.0)
    after = det.after(share)
    assert after.seconds == 2.5 and det.remaining() == 0.0
    after.charge(1.0)
    assert after.remaining() == 1.5


def test_worth_starting() -> None:
    """Tests worth(): wall mode needs the minimum (0.4 s left < 0.5 s: no); work units: anything left."""
    clock = FakeClock()
    wall = Budget(1, clock=clock)
    clock.now += 0.6
    assert not wall.worth(0.5) and wall.worth(0.3)
    det = Budget(0.4, deterministic=True, clock=FakeClock())
    assert det.worth(0.5)
    det.charge(0.4)
    assert not det.worth(0.5)
