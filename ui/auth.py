"""Sign-in through Streamlit's own OpenID Connect login (st.login / st.user / st.logout), when an administrator has
configured it in .streamlit/secrets.toml under [auth]; otherwise the app is the single-user local tool it always was.

Administrators are listed under [lstm_lens] admins = ["<issuer> <subject>", "email:someone@example.com"] (an e-mail
entry counts only when the provider says the address is verified).
"""
from __future__ import annotations

import streamlit as st

from core.i18n import _
from core.runs.owners import LOCAL_VIEWER, Viewer, is_admin, owner_id
from ui.state import plain


def auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all, or one that does not parse: no sign-in (the latter is logged by Streamlit)
        return False


def _admins() -> list[str]:
    try:
        return list(st.secrets.get("lstm_lens", {}).get("admins", []))
    except Exception:
        return []


def viewer() -> Viewer:
    """Who is looking: the signed-in account, or the local user when sign-in is not configured."""
    if not auth_configured():
        return LOCAL_VIEWER
    user = st.user
    if not user.is_logged_in:  # require_sign_in stops every page before this
        raise PermissionError("Sign in first.")
    owner = owner_id(user.get("iss", ""), user.get("sub", ""))
    email = user.get("email") if user.get("email_verified") in (True, "true") else None
    name = str(user.get("name") or user.get("email") or user.get("sub") or "")
    return Viewer(owner, is_admin(owner, email, _admins()), name)


def require_sign_in() -> None:
    """Before any page: with sign-in configured, a signed-out visitor sees only the sign-in page; a signed-in one gets
    their name and a sign-out button in the sidebar."""
    if not auth_configured():
        return
    if not st.user.is_logged_in:
        # The only page a signed-out visitor has (no page list in the sidebar, whatever the URL asked for).
        st.navigation([st.Page(_sign_in_page, title=_("Sign in"), url_path="sign-in")], position="hidden").run()
        st.stop()
    who = viewer()
    with st.sidebar:
        st.caption((_("Signed in as **{name}** · administrator") if who.admin else _("Signed in as **{name}**")).format(
            name=plain(who.name[:60])))
        if st.button(_("Sign out"), icon=":material/logout:", key="sign_out"):
            st.logout()


def _sign_in_page() -> None:
    st.title("LSTM Lens")
    st.write(_("Sign in with your organisation's account to train models and see your runs. Each person's runs and "
               "batches are their own."))
    if st.button(_("Sign in"), type="primary", icon=":material/login:", key="sign_in"):
        st.login()
