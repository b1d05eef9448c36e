"""The states of a live room, as the pages ask them."""

from deliberate.models import RoomState, SittingRoom


def test_a_live_room_says_whether_it_is_running_paused_or_ended():
    said = {
        state: (SittingRoom(state=state).is_running, SittingRoom(state=state).is_paused)
        + (SittingRoom(state=state).is_ended,)
        for state in RoomState
    }

    assert said == {
        RoomState.WAITING: (False, False, False),
        RoomState.RUNNING: (True, False, False),
        RoomState.PAUSED: (False, True, False),
        RoomState.ENDED: (False, False, True),
    }
