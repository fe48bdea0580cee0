"""The citizen app (PWA) served from the API's own origin at "/"."""
