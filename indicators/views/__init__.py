"""Pages of the 766 index: staff dashboard and drill-down, reports, public monthly results."""
