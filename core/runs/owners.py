"""Who owns a run or a batch, and who may see it.

With sign-in configured (Streamlit's OpenID Connect login), the owner is the identity token's issuer and subject:
stable for one account at one provider, unlike an e-mail address, which a provider may let change hands. Without
sign-in the app is a single-user local tool and everything belongs to LOCAL. Runs made before ownership existed
belong to LOCAL too, and an administrator can hand them to a user.
"""
from __future__ import annotations

from dataclasses import dataclass

LOCAL = "local"


def owner_id(issuer: str, subject: str) -> str:
    """The owner key of a signed-in account: its issuer and subject."""
    return f"{str(issuer).strip()} {str(subject).strip()}"


@dataclass(frozen=True)
class Viewer:
    """The person looking: whose runs are theirs, and whether they administer every run."""

    owner: str
    admin: bool = False
    name: str = ""

    def may_see(self, owner: str | None) -> bool:
        return owner is not None and (self.admin or owner == self.owner)

    may_delete = may_see  # owners delete their own; administrators any


LOCAL_VIEWER = Viewer(LOCAL, admin=True, name="local user")  # the single-user tool: every run is the user's own


def is_admin(owner: str, email: str | None, admins) -> bool:
    """Whether an account is listed as an administrator: by "issuer subject", or by e-mail only when the provider
    says the address is verified (``email`` is passed only then)."""
    listed = {str(a).strip() for a in admins or ()}
    return owner in listed or (email is not None and f"email:{email.strip().lower()}" in {a.lower() for a in listed})
