"""The Qt layer: windows, widgets and models. It displays and edits; the core decides."""
