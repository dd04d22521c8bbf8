"""Sign-in with a real OpenID Connect provider on loopback (oidc-provider-mock): two users each train and see only
their own runs, a URL of the other's run is refused with a sentence, and signing out returns to the sign-in page."""
import pytest

from tests.e2e.conftest import _free_port, assert_no_exception, go, start_server, wait_idle

pytestmark = pytest.mark.e2e


@pytest.fixture
def signed_in_server(tmp_path):
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread() as provider:
        port = _free_port()
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-long-random-string-for-the-test-only"
client_id = "lstm-lens"
client_secret = "lstm-lens-secret"
server_metadata_url = "http://127.0.0.1:{provider.server_port}/.well-known/openid-configuration"
""", encoding="utf-8")
        process, url = start_server(tmp_path, extra_args=["--secrets.files", str(secrets)], port=port)
        yield url
        process.terminate()


def sign_in(page, url, subject):
    page.goto(url)
    page.get_by_role("button", name="Sign in").click()
    page.locator('input[name="sub"]').fill(subject)
    page.get_by_role("button", name="Authorize").click()
    page.get_by_text("Signed in as").wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=120_000)
    wait_idle(page)


def train_quickly(page):
    go(page, "Train")
    models = page.get_by_test_id("stMultiSelect").first
    for name in ("ARIMA", "LSTM", "Linear regression"):  # the quick references only
        models.get_by_role("button", name=f"Remove {name}").click()
    page.get_by_role("button", name="Train models").click()
    page.get_by_text("Leaderboard (test part)").wait_for(timeout=300_000)
    wait_idle(page)
    run_id = page.url.split("run=")[1].split("&")[0]
    return run_id


def test_two_users_each_see_only_their_own_runs(signed_in_server, browser):
    url = signed_in_server
    ids = {}
    pages = {}
    for subject in ("alice@example.com", "bob@example.com"):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = pages[subject] = context.new_page()
        page.goto(url)
        page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stSidebarNavItems"]').count() == 0  # nothing but the sign-in page
        sign_in(page, url, subject)
        assert subject in page.get_by_test_id("stSidebar").inner_text()
        ids[subject] = train_quickly(page)
        assert_no_exception(page)

    alice, bob = pages["alice@example.com"], pages["bob@example.com"]
    for page, own, other in ((alice, ids["alice@example.com"], ids["bob@example.com"]),
                             (bob, ids["bob@example.com"], ids["alice@example.com"])):
        go(page, "Runs")
        page.get_by_role("button", name="Reopen").wait_for(timeout=60_000)
        assert "airline_passengers.csv · best" in page.content()
        assert page.get_by_text("Sign-in is not configured").count() == 0
        # the other user's run, by its URL: a sentence, none of its data
        page.goto(f"{url}/compare?run={other}")
        page.get_by_text(f"There is no run '{other}' in your history").wait_for(timeout=60_000)
        assert page.locator(".js-plotly-plot").count() == 0
        page.goto(f"{url}/compare?run={own}")
        page.get_by_role("heading", name="Leaderboard").wait_for(timeout=120_000)
        assert_no_exception(page)

    # Each history holds exactly its owner's one run.
    for page in (alice, bob):
        go(page, "Runs")
        page.get_by_role("button", name="Reopen").wait_for(timeout=60_000)
        page.get_by_test_id("stSelectbox").filter(has_text="Run").first.click()
        assert page.get_by_role("option").count() == 1
        page.keyboard.press("Escape")

    alice.get_by_role("button", name="Sign out").click()
    alice.get_by_role("button", name="End session").click()  # the provider's own sign-out page (RP-initiated logout)
    alice.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    alice.goto(f"{url}/compare?run={ids['alice@example.com']}")  # signed out: not even her own run
    alice.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    assert alice.locator(".js-plotly-plot").count() == 0
    assert alice.locator('[data-testid="stSidebarNavItems"]').count() == 0


def test_a_pages_own_url_as_a_fresh_servers_first_request_still_asks_to_sign_in(signed_in_server, page):
    """While no st.navigation has run in a fresh server, Streamlit's older multipage mode (chosen because a pages/
    folder exists) would run pages/runs.py alone for this URL, without app.py's sign-in; ui.entry.through_app sends
    that run through app.py."""
    page.goto(signed_in_server + "/runs")
    page.get_by_text("Sign in with your organisation's account").wait_for(timeout=60_000)
    wait_idle(page)
    assert page.get_by_role("heading", name="Runs").count() == 0
    assert_no_exception(page)
