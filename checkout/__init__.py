"""Taawun's checkout service: cart → order → payment (cash on delivery or Stripe Checkout).

Reads the site's ``catalogue.json``; never imports the generator. Built in its own issue.
"""
