mod migrations;
