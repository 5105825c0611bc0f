"""Views, one module per part of the site; each stays thin and calls the domain modules."""
