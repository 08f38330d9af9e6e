"""Corrected Russian for Wagtail admin strings that editors see while writing and reviewing.

Wagtail's Russian catalogue glues words together («Эта страницав настоящее время…»), puts a
nominative model name where Russian needs another case («Редактировать страница могут…»), and
leaves the concurrent-edit dialog in English. Django merges the catalogues of INSTALLED_APPS so
that an earlier app's translation of a msgid wins, and the newsroom comes before Wagtail: the
newsroom's catalogue carries these msgids with corrected translations.

This module is never imported; it is the source `makemessages` reads, so that the msgids stay in
the newsroom's catalogue (entries found in no source are dropped as obsolete). Each msgid must be
exactly Wagtail's (a template's `blocktranslate trimmed` text with whitespace collapsed and
`{{ var }}` written `%(var)s`). The translations say «материал»: in this newsroom the only objects
under review or locks are pages (articles, live blogs, the front page).
"""

from django.utils.translation import gettext_noop as _

WAGTAIL_ADMIN_STRINGS = (
    # Workflow and review status in the page editor.
    _("This %(model_name)s is currently awaiting moderation."),
    _("This {model_name} is awaiting <b>'{task_name}'</b> in the <b>'{workflow_name}'</b> workflow."),
    _("This %(model_name)s is currently at <strong>%(task)s</strong> in <strong>%(workflow)s</strong>."),
    _(
        "This %(model_name)s was marked as needing changes at <strong>%(task)s</strong> in "
        "<strong>%(workflow)s</strong>."
    ),
    _("This %(model_name)s hasn't been submitted for moderation yet"),
    _("Only reviewers for this task can edit the %(model_name)s."),
    _("Only reviewers can edit and approve the %(model_name)s"),
    _("Reviewers can edit this %(model_name)s – lock it to prevent other reviewers from editing"),
    _("Publishing this %(model_name)s will cancel the current workflow."),
    _("You can edit the %(model_name)s here:"),
    # Locks.
    _("Anyone can edit this %(model_name)s"),
    _("Anyone can edit this %(model_name)s – lock it to prevent others from editing"),
    _("Only %(user)s can make changes while the %(model_name)s is locked"),
    _("Only you can make changes while the %(model_name)s is locked"),
    _("No one can make changes while the %(model_name)s is locked"),
    _("The %(model_name)s could not be saved as it is locked"),
    # Listings.
    _("No %(model_name)s match your query."),
    # The concurrent-edit dialog (wagtailadmin/shared/editing_sessions/).
    _("Proceeding will overwrite the changes you made in that window."),
    _("Proceeding will overwrite the changes made by %(user_name)s."),
    _("Alternatively, you can view the latest version in a new tab."),
    _("View latest version"),
    _("A network error occurred"),
    _(
        "Troubleshoot your connection to the site before proceeding. Open the editor in a separate tab "
        "to view the last saved version."
    ),
    _("Currently idle"),
    _("Currently viewing"),
    # The multiple uploader, after each photo (Wagtail's Russian: «Так-же», missing commas).
    _(
        "Upload successful. Please update this image with a more appropriate title, if necessary. "
        "You may also delete the image completely if the upload wasn't required."
    ),
)
