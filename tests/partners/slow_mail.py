"""A mail server that takes its time (SLOW_MAIL_SECONDS) before it accepts a message, so a test
can kill the worker in the middle of a delivery. Messages land as files (EMAIL_FILE_PATH)."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, messages):
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0")))
        return super().send_messages(messages)
