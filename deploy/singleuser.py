"""A learner's server, as the hub starts it: copy the lessons into their home (never over a lesson they changed),
then become jupyterhub-singleuser with the same arguments (JupyterLab without the news prompt or the update check,
both of which would reach the internet; for a Japanese room, JupyterLab's interface in Japanese)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dynalab.__main__ import jupyter_settings_dir
from dynalab.lessons.lesson_files import copy_lessons

language = os.environ.get("DYNALAB_HUB_LANGUAGE", "en")
folder = Path.home() / ("dynalab-lessons-ja" if language == "ja" else "dynalab-lessons")
print(copy_lessons(str(folder), language).summary(), flush=True)
settings = jupyter_settings_dir(language)  # JupyterLab's own interface in the edition's language too
command = [sys.executable, "-m", "jupyterhub.singleuser", f"--LabApp.app_settings_dir={settings}",
           "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", *sys.argv[1:]]
if os.geteuid() == 0:
    command.append("--allow-root")  # only the "simple" spawner (the test, a container) runs servers as root
os.execv(command[0], command)
