"""The JupyterHub the hub tests run: loopback only, local processes, the collector as a service.

Everything variable comes from PT_HUB_* environment variables set by tests/hub/conftest.py.
SimpleLocalProcessSpawner gives no isolation between users: for tests only.
"""

import json
import os
import sys

c = get_config()  # noqa: F821

RUN = os.environ["PT_HUB_RUN"]
PUBLIC_PORT = int(os.environ["PT_HUB_PUBLIC_PORT"])
SERVICE = "progress-tracker"
SERVICE_PORT = int(os.environ["PT_HUB_SERVICE_PORT"])
# the marker lets the tests find every process; the working tree is the package under test
MARKER = {
    "PT_HUB_TEST_RUN": os.environ["PT_HUB_TEST_RUN"],
    "PYTHONPATH": os.environ["PT_HUB_PYTHONPATH"],
}

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = PUBLIC_PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ["PT_HUB_HUB_PORT"])
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['PT_HUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [os.environ["PT_HUB_PROXY_CMD"]]
c.ConfigurableHTTPProxy.pid_file = f"{RUN}/proxy.pid"
c.JupyterHub.pid_file = f"{RUN}/jupyterhub.pid"
c.JupyterHub.db_url = f"sqlite:///{RUN}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{RUN}/jupyterhub_cookie_secret"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["PT_HUB_PASSWORD"]
# Two courses by the group conventions of c.Courses: cs101 (sections a and b, a TA of a) and
# cs102; sboth takes both; hubadmin administers the tracker.
COURSE_GROUPS = {
    "cs101-instructors": ["prof101"],
    "cs102-instructors": ["prof102"],
    "cs101-tas-a": ["ta101a"],
    "cs101-students": ["s101a", "s101b", "sboth"],
    "cs101-students-a": ["s101a", "sboth"],
    "cs101-students-b": ["s101b"],
    "cs102-students": ["s102", "sboth"],
    "progress-admins": ["hubadmin"],
    # two courses under different privacy policies (tests/hub/test_privacy_courses.py)
    "cs301-students": ["student3"],
    "cs202-students": ["student4"],
}
c.Authenticator.allowed_users = {"student1", "student2", "instructor1", "student3", "student4"} | {
    user for members in COURSE_GROUPS.values() for user in members
}
c.JupyterHub.load_groups = {
    "instructors": {"users": ["instructor1"]},
    "students": {"users": ["student1", "student2"]},
    **{group: {"users": members} for group, members in COURSE_GROUPS.items()},
}

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = f"{RUN}/home/{{username}}"
c.Spawner.notebook_dir = f"{RUN}/home/{{username}}"
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.args = [
    "--allow-root",
    "--ServerApp.jpserver_extensions={'progress_tracker': True}",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
]
c.Spawner.environment = {
    **MARKER,
    "JUPYTER_PATH": os.environ["PT_HUB_JUPYTER_PATH"],
    "JUPYTER_CONFIG_DIR": f"{RUN}/jupyter-config",
    "JUPYTER_DATA_DIR": f"{RUN}/jupyter-data",
    "JUPYTER_PLATFORM_DIRS": "1",
    # student2 forwards through the proxy's public URL; the others find the collector in the hub
    "PROGRESS_TRACKER_URL": lambda spawner: (
        f"http://127.0.0.1:{PUBLIC_PORT}/services/{SERVICE}/"
        if spawner.user.name == "student2"
        else ""
    ),
}
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    f"access:services!service={SERVICE}",
    f"read:services!service={SERVICE}",
]
c.JupyterHub.extra_user_scopes = {
    f"access:services!service={SERVICE}",
    f"read:services!service={SERVICE}",
}
c.Spawner.poll_interval = 2  # also how soon the hub restarts a collector that died
# generous: three servers start at once, and the tests must pass on a loaded 2-core machine
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.LocalProcessSpawner.interrupt_timeout = 3
c.LocalProcessSpawner.term_timeout = 3

# The collector's privacy policies: in its config folder, as an operator would write them.
PRIVACY_COURSES = {
    "cs301": {"consent": "opt-in", "capture_level": "metadata"},
    "cs202": {"consent": "opt-out", "capture_level": "code"},
}
os.makedirs(f"{RUN}/collector-config", exist_ok=True)
with open(f"{RUN}/collector-config/jupyter_server_config.json", "w") as config_file:
    json.dump({"Privacy": {"courses": PRIVACY_COURSES}}, config_file)

c.JupyterHub.services = [
    {
        "name": SERVICE,
        "url": f"http://127.0.0.1:{SERVICE_PORT}",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub.singleuser",
            "--allow-root",
            f"--ServerApp.root_dir={RUN}/collector",
            "--ServerApp.jpserver_extensions={'progress_tracker': True}",
            f"--ProgressTracker.database_url={os.environ['PT_HUB_DATABASE_URL']}",
            *os.environ.get("PT_HUB_COLLECTOR_ARGS", "").split(),
            "--HubOAuth.cache_max_age=1",
        ],
        "environment": {
            **MARKER,
            "JUPYTER_CONFIG_DIR": f"{RUN}/collector-config",
            "JUPYTER_DATA_DIR": f"{RUN}/collector-data",
            "JUPYTER_PLATFORM_DIRS": "1",
        },
        "cwd": f"{RUN}/collector",
        "oauth_no_confirm": True,
    },
    {"name": "test-admin", "api_token": os.environ["PT_HUB_ADMIN_TOKEN"]},
]
c.JupyterHub.load_roles = [
    {
        "name": "progress-tracker-service",
        "services": [SERVICE],
        "scopes": ["list:users", "read:users:name", "read:users:groups", "read:groups"],
    },
    {
        "name": "test-admin",
        "services": ["test-admin"],
        "scopes": [
            "admin:users",
            "admin:servers",
            "tokens",
            "read:services",
            f"access:services!service={SERVICE}",
        ],
    },
]
