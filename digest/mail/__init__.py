"""The email edition: an issue as a newsletter (HTML and text), and sending it by SMTP."""
