"""The portal's views: the public portal, the researcher backend, the library console."""
