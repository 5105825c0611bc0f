"""What a saved revision of an article means for the desk: created, submitted, published...

django-simple-history keeps a revision of every save and delete (with who and when); comparing
a revision's status with the one before it says which workflow step happened.
"""

from articles.models import Article

Status = Article.Status


def workflow_actions(history_type, old_status, new_status):
    """The audit actions of one revision: '+' created, '~' changed, '-' deleted."""
    if history_type == "-":
        return ["deleted"]
    actions = ["created"] if history_type == "+" else []
    if new_status != old_status:
        if new_status == Status.REVIEW:
            actions.append("submitted")
        elif new_status == Status.PUBLISHED:
            actions.append("published")
        elif old_status == Status.PUBLISHED:
            actions.append("unpublished")
    return actions
