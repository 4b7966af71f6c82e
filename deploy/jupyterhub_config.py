"""A JupyterHub for a dynalab room on one host: `jupyterhub -f deploy/jupyterhub_config.py`.

Everything is set from the environment, so one file serves the workshop and its test:

* DYNALAB_HUB_PASSWORD (8+ characters): the shared password learners log in with (any user name of lower-case
  letters, digits, '-' and '_'; the name becomes their DYNALAB_LEARNER). DYNALAB_HUB_ADMIN and
  DYNALAB_HUB_ADMIN_PASSWORD (32+ characters) name the instructor, who logs in with that password.
* The room: DYNALAB_ROOM_STATE, the folder of a `dynalab room serve` on this host (its room.json), or DYNALAB_ROOM and
  DYNALAB_ROOM_KEY (the learners' key, dll-...). Every user's server then gets DYNALAB_ROOM, their own personal key
  (derived from the learners' key and their name: they cannot sign as anyone else) and DYNALAB_LEARNER.
* DYNALAB_HUB_SPAWNER: "system" (the default: each learner a system user of this host, created at first login when
  the hub runs as root; their servers run as them), or "simple" (every server as the hub's own user, homes under
  DYNALAB_HUB_HOMES: the test's choice, and a one-person demo's, never a room's: users are not isolated).
* The lessons are copied into each user's home at each spawn (deploy/singleuser.py; a lesson the learner changed
  is kept); DYNALAB_HUB_LANGUAGE=ja copies the Japanese edition and starts its kernels in Japanese.
* Idle servers are stopped after DYNALAB_HUB_CULL_SECONDS (default 3600) by jupyterhub-idle-culler.
* DYNALAB_HUB_IP / DYNALAB_HUB_PORT (default 127.0.0.1:8000), DYNALAB_HUB_API_PORT (8081),
  DYNALAB_HUB_PROXY_API_PORT (8001), DYNALAB_HUB_STATE (./dynalab-hub: the hub's database and cookie secret).
* DYNALAB_HUB_API_TOKEN: a token for scripts (the test, benchmarks/bench_room.py) allowed to create users, start
  their servers and reach them.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, SimpleLocalProcessSpawner

from dynalab.room.keys import personal_key

c = get_config()  # noqa: F821 - JupyterHub's config loader defines it
HERE = Path(__file__).resolve().parent
env = os.environ.get

# ---- where the hub lives ---------------------------------------------------------------------------------------
state = Path(env("DYNALAB_HUB_STATE", "dynalab-hub")).resolve()
state.mkdir(parents=True, exist_ok=True, mode=0o700)
c.JupyterHub.ip = env("DYNALAB_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(env("DYNALAB_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("DYNALAB_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(env('DYNALAB_HUB_PROXY_API_PORT', '8001'))}"
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
# configurable-http-proxy from npm: the clone's node_modules (make setup), else the one on PATH (npm install -g)
proxy = HERE.parent / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(proxy) if proxy.exists() else "configurable-http-proxy"]

# ---- who logs in -----------------------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = env("DYNALAB_HUB_PASSWORD") or None
c.Authenticator.allow_all = True  # anyone with the room's password, under a name they choose
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{0,31}$"  # also a valid system user name
if env("DYNALAB_HUB_ADMIN"):
    c.Authenticator.admin_users = {env("DYNALAB_HUB_ADMIN")}
    c.SharedPasswordAuthenticator.admin_password = env("DYNALAB_HUB_ADMIN_PASSWORD") or None

# ---- the room's settings in every user's environment -----------------------------------------------------------
room_url, learners_key = env("DYNALAB_ROOM", ""), env("DYNALAB_ROOM_KEY", "")
if env("DYNALAB_ROOM_STATE"):
    saved = json.loads((Path(env("DYNALAB_ROOM_STATE")) / "room.json").read_text(encoding="utf-8"))
    room_url, learners_key = saved["url"], saved["learners_key"]
language = env("DYNALAB_HUB_LANGUAGE", "en")
c.Spawner.environment = {"DYNALAB_LANG": language, "DYNALAB_HUB_LANGUAGE": language}
if room_url and learners_key:
    c.Spawner.environment.update({
        "DYNALAB_ROOM": room_url,
        # each user's own key, derived from the learners' key: no learner holds a key that signs as another
        "DYNALAB_ROOM_KEY": lambda spawner: personal_key(learners_key, spawner.user.name),
        "DYNALAB_LEARNER": lambda spawner: spawner.user.name,
    })
else:
    print("dynalab hub: no room set (DYNALAB_ROOM_STATE, or DYNALAB_ROOM and DYNALAB_ROOM_KEY): self-checks are "
          "not recorded", file=sys.stderr)

# ---- each learner's server -------------------------------------------------------------------------------------
lessons = "dynalab-lessons-ja" if language == "ja" else "dynalab-lessons"
c.Spawner.cmd = [sys.executable, str(HERE / "singleuser.py")]  # copies the lessons, then jupyterhub-singleuser
c.Spawner.default_url = f"/lab/tree/{lessons}/00_start_here.ipynb"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.env_keep = ["JUPYTERHUB_SINGLEUSER_APP", "PATH", "LANG", "LC_ALL"]
c.Spawner.mem_limit = env("DYNALAB_HUB_MEM_LIMIT") or None  # enforced by spawners that can (not local processes)


class SystemUserSpawner(LocalProcessSpawner):
    """A learner's server runs as their own system user, created at first spawn (the hub runs as root)."""

    async def start(self):  # noqa: D102
        try:
            pwd.getpwnam(self.user.name)
        except KeyError:
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", self.user.name], check=True)
        return await super().start()


if env("DYNALAB_HUB_SPAWNER", "system") == "simple":
    c.JupyterHub.spawner_class = SimpleLocalProcessSpawner
    homes = Path(env("DYNALAB_HUB_HOMES", str(state / "homes"))).resolve()
    c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
else:
    c.JupyterHub.spawner_class = SystemUserSpawner

# ---- stop idle servers, and a token for scripts ----------------------------------------------------------------
c.JupyterHub.services = [{"name": "idle-culler", "command": [
    sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={int(env('DYNALAB_HUB_CULL_SECONDS', '3600'))}"]}]
c.JupyterHub.load_roles = [{"name": "idle-culler", "services": ["idle-culler"],
                            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}]
if env("DYNALAB_HUB_API_TOKEN"):
    c.JupyterHub.services.append({"name": "dynalab-driver", "api_token": env("DYNALAB_HUB_API_TOKEN")})
    c.JupyterHub.load_roles.append({"name": "dynalab-driver", "services": ["dynalab-driver"],
                                    "scopes": ["admin:users", "admin:servers", "access:servers"]})
shutil.which("node") or print("dynalab hub: node is not on PATH: configurable-http-proxy needs Node.js",
                              file=sys.stderr)
