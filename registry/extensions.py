"""Flask extensions, created unbound and attached in the app factory."""

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from registry.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
