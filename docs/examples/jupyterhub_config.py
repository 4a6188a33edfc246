# progress-tracker on JupyterHub: the collector as a hub-managed service, user servers forwarding.
#
# Copy into your jupyterhub_config.py and adapt the marked values. Requirements:
#   - `pip install jupyter-progress-tracker` in the hub's environment (the collector runs there)
#     and in the user servers' image (the extension auto-enables; it forwards, it stores nothing);
#   - PostgreSQL and Redis reachable from the hub's host only (never from user servers);
#   - Redis with AOF (`appendonly yes`: the collector refuses a Redis that does not persist) and a
#     password, better an ACL user limited to the tracker's keys (docs/backends.md, "Redis AUTH
#     and ACL"): a student's kernel on this host must not be able to write to it.
# The same settings (scopes, roles, the service) were run end to end with JupyterHub 6.1 in the
# project's hub tests (tests/hub/jupyterhub_config.py).
import os
import sys

import jupyterhub

c = get_config()  # noqa: F821

SERVICE = "progress-tracker"  # = ProgressTracker.collector_service_name (the default)
COLLECTOR_PORT = 10101  # ADAPT: a free port on the hub's host
COLLECTOR_DIR = "/srv/progress-tracker"  # ADAPT: the collector's working folder (no data kept)

# --- the collector: a Jupyter server run by the hub, locked down to the tracker's API ---
c.JupyterHub.services = [
    {
        "name": SERVICE,
        "url": f"http://127.0.0.1:{COLLECTOR_PORT}",  # where user servers reach it (see below)
        "command": [
            sys.executable,
            "-m",
            "jupyterhub.singleuser",
            f"--ServerApp.root_dir={COLLECTOR_DIR}",
            # collector mode is chosen automatically (JUPYTERHUB_SERVICE_NAME); the extension then
            # serves only its own API and /api/status, to everybody, and turns terminals off
            "--ServerApp.jpserver_extensions={'progress_tracker': True}",
        ],
        "cwd": COLLECTOR_DIR,
        # credentials live in the collector's environment only
        "environment": {
            "DATABASE_URL": os.environ["PROGRESS_TRACKER_DATABASE_URL"],  # postgresql+asyncpg://...
            # redis://progress-tracker:PASSWORD@host:6379/0 (rediss:// across hosts); 202 = in the
            # stream of a Redis that persists
            "REDIS_URL": os.environ["PROGRESS_TRACKER_REDIS_URL"],
            "PROGRESS_TRACKER_PSEUDONYM_SECRET": os.environ["PROGRESS_TRACKER_PSEUDONYM_SECRET"],
        },
        "oauth_no_confirm": True,
        "display": False,  # instructors use the dashboard inside their own JupyterLab
    },
]

# --- who may reach the collector ---
# Each user server's $JUPYTERHUB_API_TOKEN must reach the collector (access:services) and may
# look up where it listens (read:services, used when PROGRESS_TRACKER_URL is not set).
COLLECTOR_SCOPES = [f"access:services!service={SERVICE}", f"read:services!service={SERVICE}"]
c.Spawner.server_token_scopes = [
    "users:activity!user",  # JupyterHub's defaults for a server token ...
    "access:servers!server",
    *COLLECTOR_SCOPES,  # ... plus the collector
]
# A token only gets the scopes its user holds: give them to every user.
if jupyterhub.version_info >= (6,):
    c.JupyterHub.extra_user_scopes = set(COLLECTOR_SCOPES)
else:  # JupyterHub 4 and 5: redefine the default "user" role, keeping "self"
    c.JupyterHub.load_roles = [{"name": "user", "scopes": ["self", *COLLECTOR_SCOPES]}]

# --- courses: who teaches, assists and takes what (docs/courses.md) ---
# The collector reads the course of every user from these hub groups (c.Courses conventions):
# <course>-instructors, <course>-tas (every section), <course>-tas-<section>,
# <course>-students and <course>-students-<section>. progress-admins see every course.
c.JupyterHub.load_groups = {
    "cs101-instructors": {"users": ["prof-ada"]},  # ADAPT, or manage the groups in the admin page
    "cs101-tas-a": {"users": ["ta-grace"]},  # sees section a only
    "cs101-students": {"users": ["student-alan", "student-kay"]},
    "cs101-students-a": {"users": ["student-alan"]},
    "cs101-students-b": {"users": ["student-kay"]},
    "progress-admins": {"users": []},  # every course, the dead letters
    # Earlier releases' instructors group still works: its members are the instructors of
    # the implicit course "default" (events of users in no course).
    "instructors": {"users": []},
}
# Only the collector reads the course groups (a user server relays the dashboard to it): to
# name groups otherwise, pass e.g. "--Courses.courses={...}" or a config file in its command.

# --- where user servers send events ---
# Default: each user server asks the hub (read:services above) and posts straight to the
# service's URL, http://127.0.0.1:10101/services/progress-tracker/ here. When user servers
# cannot reach that address (other hosts, containers), point them at an address they can reach,
# e.g. the proxy:
# c.Spawner.environment = {
#     "PROGRESS_TRACKER_URL": "http://proxy.internal:8000/services/progress-tracker/",
# }
# Never put DATABASE_URL, REDIS_URL or other credentials into Spawner.environment: everything in
# a user server's environment is readable from the user's notebooks and terminals.
