"""(Re)build image renditions: for images saved before renditions existed, or after a failure.

Without --all an image whose renditions lack a format this Pillow makes (AVIF, added after its
upload) gets just the missing files.

Images are handled one at a time (memory stays flat). Images never cleaned (no hash) are cleaned
first, so their stored file loses its metadata too. A missing file is reported, never fatal.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from media.models import Image
from media.processing import rebuild
from media.renditions import lacks_formats


class Command(BaseCommand):
    help = "Make missing image renditions and formats (or all of them with --all)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Rebuild every image's renditions from its file."
        )
        parser.add_argument("ids", nargs="*", type=int, help="Only these image ids.")

    def handle(self, *args, **options):
        queryset = Image.objects.order_by("pk")
        if options["ids"]:
            queryset = queryset.filter(pk__in=options["ids"])
        built = failed = 0
        for pk in queryset.values_list("pk", flat=True):
            image = Image.objects.get(pk=pk)
            complete = image.renditions and not lacks_formats(image.renditions)
            if complete and image.file_hash and not options["all"]:
                continue
            try:
                rebuild(image, force=options["all"])
            except ValidationError as error:
                failed += 1
                self.stderr.write(f"Image {pk} ({image.file.name}): {' '.join(error.messages)}")
                continue
            except FileNotFoundError:
                failed += 1
                self.stderr.write(f"Image {pk}: file {image.file.name} is missing from storage")
                continue
            built += 1
            self.stdout.write(f"Image {pk}: {len(image.renditions)} renditions")
        noun = "image" if built == 1 else "images"
        self.stdout.write(
            self.style.SUCCESS(f"Built renditions for {built} {noun}; {failed} failed.")
        )
