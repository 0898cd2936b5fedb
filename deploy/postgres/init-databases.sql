-- One database per service (each service owns its tables; none queries another's).
CREATE DATABASE haven_options;
CREATE DATABASE haven_sanctuary;
CREATE DATABASE haven_reciprocal;
CREATE DATABASE haven_directory;
