"""An e-mail backend that stands for an SMTP server that is down twice, then answers."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FailingTwiceBackend(EmailBackend):
    attempts = 0

    def send_messages(self, messages):
        FailingTwiceBackend.attempts += 1
        if FailingTwiceBackend.attempts <= 2:
            raise smtplib.SMTPServerDisconnected("the mail server is not answering")
        return super().send_messages(messages)


class FailingBackend(EmailBackend):
    """A mail server that does not answer at all."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("the mail server is not answering")
