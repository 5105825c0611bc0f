"""`Image.file` declares its content validator (media.validation): Django's state only, no SQL."""

import media.models
import media.validation
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('media', '0002_editorial_groups'),
    ]

    operations = [
        migrations.AlterField(
            model_name='image',
            name='file',
            field=models.ImageField(max_length=255, upload_to=media.models.image_upload_to, validators=[media.validation.validate_image_file], verbose_name='file'),
        ),
    ]
