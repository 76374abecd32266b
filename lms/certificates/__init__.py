"""Certificates: issued once per learner and course, rendered to PDF, verifiable by anyone."""


def init_app(app) -> None:
    """Register the certificate pages, API and commands; warn when PDFs will be slow."""
    from lms.certificates import api, exports, files, pdf, views  # noqa: F401  (exports adds routes)
    from lms.certificates.cli import certificates_group
    from lms.cli import lms_group

    lms_group.add_command(certificates_group)

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    files.mount(app)
    app.add_template_global(views.pdf_link)
    pdf.warn_if_slow_fonts(app.logger)
