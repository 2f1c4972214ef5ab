"""Player: stepping logic through tick(), buttons, and the periodic callback's life."""
from widgets.player import Player


def test_tick_advances_by_speed_times_interval_carrying_fractions():
    player = Player(max_step=100, speed=5, interval_ms=100)  # half a step per tick
    player.playing = True
    steps = []
    for _ in range(6):
        player.tick()
        steps.append(player.step)
    assert steps == [0, 1, 1, 2, 2, 3]


def test_fast_speeds_take_several_steps_per_tick():
    player = Player(max_step=100, speed=200, interval_ms=50)
    player.playing = True
    player.tick()
    assert player.step == 10


def test_stops_at_max_step():
    player = Player(max_step=5, speed=100, interval_ms=100)
    player.playing = True
    player.tick()
    assert player.step == 5 and player.playing is False
    player.tick()
    assert player.step == 5


def test_loop_wraps_around_instead_of_stopping():
    player = Player(max_step=4, speed=10, interval_ms=100, loop=True)  # one step per tick
    player.playing = True
    seen = []
    for _ in range(7):
        player.tick()
        seen.append(player.step)
    assert seen == [1, 2, 3, 4, 0, 1, 2] and player.playing


def test_tick_does_nothing_while_paused():
    player = Player(max_step=10, speed=100)
    player.tick()
    assert player.step == 0


def test_step_button_pauses_and_steps_once():
    player = Player(max_step=2)
    player.playing = True
    player.step_once()
    assert player.step == 1 and not player.playing
    player.step_once()
    player.step_once()
    assert player.step == 2 and player._step_button.disabled


def test_reset_and_toggle():
    player = Player(max_step=3, step=3)
    player.toggle()  # play from the end starts again
    assert player.step == 0 and player.playing
    assert player._play.name == "▮▮ Pause"
    player.toggle()
    assert not player.playing and player._play.name == "▶ Play"
    player.step = 2
    player.reset()
    assert player.step == 0 and not player.playing


def test_step_is_clamped_to_max_step():
    player = Player(max_step=10, step=8)
    player.max_step = 5
    assert player.step == 5
    assert player._position.object == "step 5 / 5"


def test_no_end_when_max_step_is_none():
    player = Player(max_step=None, speed=50, interval_ms=100)
    player.playing = True
    for _ in range(100):
        player.tick()
    assert player.step == 500 and player.playing


def test_no_periodic_callback_without_a_session_or_loop():
    # outside a server/Pyodide/notebook nothing could drive it: tick() is called by hand
    player = Player()
    player.playing = True
    assert player._callback is None


def test_periodic_callback_drives_the_player_in_an_event_loop():
    import asyncio

    async def play():
        player = Player(max_step=3, speed=100, interval_ms=20)
        player.playing = True
        assert player._callback is not None
        for _ in range(100):
            await asyncio.sleep(0.02)
            if not player.playing:
                break
        return player

    player = asyncio.run(play())
    assert player.step == 3 and not player.playing
    assert player._callback is None  # stopped at max_step


def test_step_and_max_step_updated_at_once():
    player = Player(max_step=10, step=10)
    player.param.update(max_step=4, step=7)
    assert player.step == 4


def test_follow_a_recomputed_run():
    player = Player(max_step=10, step=10)
    player.follow(20)
    assert (player.step, player.max_step) == (20, 20)  # showing the end: the new end
    player.step = 5
    player.follow(30)
    assert (player.step, player.max_step) == (5, 30)   # in the middle: stays
    player.follow(3)
    assert player.step == 3                             # clamped
